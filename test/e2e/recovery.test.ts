import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '#config/load-config';
import { parseEventPattern } from '#event-patterns/validate';
import { LocalEventBus, type BusEvent, type LocalRule } from '#infra/local/event-bus/bus';
import { startEventBusServer, type EventBusServer } from '#infra/local/event-bus/server';

// `npx redress redrive` and `npx redress replay` as a person runs them: separate node processes
// talking to a local event bus, here started in this process with the account, Region and bus
// name of `npm start`, and a target that fails until it is repaired.
const ROOT = path.resolve(import.meta.dirname, '../..');
const REGION = 'us-east-1';
const BUS_NAME = loadConfig({}).config.busName;

interface Target {
  rule: LocalRule;
  received: BusEvent[];
  down: boolean;
}

function target(name: string, down: boolean): Target {
  const state: Target = {
    down,
    received: [],
    rule: {
      name,
      eventPattern: parseEventPattern({ source: ['redress.ingest'] }),
      targetId: 'enqueue',
      retryPolicy: { maximumRetryAttempts: 1, maximumEventAgeSeconds: 60 },
      async invoke(event) {
        if (state.down) throw new Error('connect ECONNREFUSED 127.0.0.1:4567 (the ticket table is down)');
        state.received.push(event);
      },
    },
  };
  return state;
}

const tickets = target('queue-delays', true);
const audit = target('audit', false);
let dataDir: string;
let bus: LocalEventBus;
let server: EventBusServer;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'redress-recovery-'));
  bus = new LocalEventBus({
    busName: BUS_NAME,
    account: '000000000000',
    region: REGION,
    dataDir,
    retryBackoff: { baseMs: 5, maxMs: 20 },
    rules: [tickets.rule, audit.rule],
  });
  await bus.start();
  server = await startEventBusServer({ bus, port: 0 });
});
afterAll(async () => {
  await server?.close();
  await bus?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function redress(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const { REDRESS_CONFIG: _config, EVENTBRIDGE_PORT: _port, ...inherited } = process.env;
    const child = spawn(process.execPath, ['bin/redress.js', ...args], {
      cwd: ROOT,
      env: { ...inherited, AWS_REGION: REGION, EVENTBRIDGE_ENDPOINT: server.url, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end();
  });
}

async function putPosts(...postIds: string[]): Promise<string[]> {
  const answer = await bus.putEvents({
    Entries: postIds.map((postId) => ({ Source: 'redress.ingest', DetailType: 'Post.Classified', Detail: JSON.stringify({ postId }), EventBusName: BUS_NAME })),
  });
  await bus.drain();
  return answer.Entries.map((entry) => ('EventId' in entry ? entry.EventId! : ''));
}

const archivedCount = () => readFileSync(path.join(dataDir, 'events.jsonl'), 'utf8').trim().split('\n').length;

describe('redress redrive', () => {
  let eventIds: string[];

  it('lists what is dead-lettered with --dry-run, per rule and error code, and redrives nothing', async () => {
    eventIds = await putPosts('recovery-1', 'recovery-2');
    const deadLetters = await bus.listDeadLetters();
    expect(deadLetters).toHaveLength(2);

    const run = await redress(['redrive', '--dry-run']);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`2 dead letters on the event bus at ${server.url}, by rule and error, oldest first:`);
    expect(run.stdout).toMatch(/queue-delays\s+INVOCATION_FAILED\s+2\s+\d{4}-\d\d-\d\dT[\d:]+Z\s+connect ECONNREFUSED/);
    for (const deadLetter of deadLetters) expect(run.stdout).toContain(deadLetter.deadLetterId);
    expect(run.stdout).toContain('dry run: nothing redriven');
    expect(await bus.listDeadLetters()).toEqual(deadLetters);
  });

  it('redrives them once the target works, to that rule only and with the same event ids; a second run finds nothing', async () => {
    tickets.down = false;
    const run = await redress(['redrive']);
    await bus.drain();

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('redrove 2 dead letters');
    expect(tickets.received.map((event) => event.id).sort()).toEqual([...eventIds].sort());
    expect(audit.received.map((event) => event.id).sort()).toEqual([...eventIds].sort());
    expect(await bus.listDeadLetters()).toEqual([]);

    const again = await redress(['redrive']);
    expect(again).toEqual({ code: 0, stdout: `nothing to redrive: no dead letters on the event bus at ${server.url}\n`, stderr: '' });
  });

  it('redrives only the --id given, and exits 1 naming an id that is not dead-lettered', async () => {
    tickets.down = true;
    await putPosts('recovery-3', 'recovery-4');
    const [chosen, other] = await bus.listDeadLetters();
    tickets.down = false;

    const run = await redress(['redrive', '--id', chosen!.deadLetterId, '--id', 'no-such-dead-letter']);
    await bus.drain();

    expect(run.code).toBe(1);
    expect(run.stdout).toContain('1 of the 2 dead letters');
    expect(run.stdout).toContain('not dead-lettered: no-such-dead-letter');
    expect(run.stdout).toContain('redrove 1 dead letter');
    expect(await bus.listDeadLetters()).toEqual([other]);
    expect(await redress(['redrive'])).toMatchObject({ code: 0 });
    await bus.drain();
    expect(await bus.listDeadLetters()).toEqual([]);
  });
});

describe('redress replay', () => {
  it('replays the archived events of the last hour to every matching rule, and prints how many', async () => {
    await bus.drain();
    const archived = archivedCount();
    const before = { tickets: tickets.received.length, audit: audit.received.length };

    const run = await redress(['replay', '--from', '1h']);
    await bus.drain();

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^replayed ${archived} events from \\S+Z to \\S+Z onto bus ${BUS_NAME}, each to the rules it matches \\(replay replay-\\d{8}T\\d{6}Z-[0-9a-f]{8}\\)\\n`));
    expect(run.stdout).toContain('targets are idempotent');
    const replayed = audit.received.slice(before.audit);
    expect(replayed).toHaveLength(archived);
    expect(replayed.every((event) => event['replay-name']?.startsWith('replay-'))).toBe(true);
    expect(tickets.received.length - before.tickets).toBe(archived);
  });

  it('replays to one rule with --rule, and a second replay of the window delivers the same event ids', async () => {
    const window = ['--from', new Date(Date.now() - 3_600_000).toISOString(), '--to', new Date(Date.now() + 1_000).toISOString()];
    const before = { tickets: tickets.received.length, audit: audit.received.length };

    const first = await redress(['replay', ...window, '--rule', 'audit']);
    await bus.drain();
    const second = await redress(['replay', ...window, '--rule', 'audit']);
    await bus.drain();

    expect(first.code).toBe(0);
    expect(first.stdout).toContain('each to audit only, if it matches');
    expect(tickets.received.length).toBe(before.tickets);
    const replayed = audit.received.slice(before.audit);
    const firstIds = replayed.slice(0, replayed.length / 2).map((event) => event.id);
    const secondIds = replayed.slice(replayed.length / 2).map((event) => event.id);
    expect(firstIds.length).toBeGreaterThan(0);
    expect(secondIds.sort()).toEqual(firstIds.sort());
    expect(second.stdout).toContain(`replayed ${firstIds.length} events`);
  });

  it('exits 1 naming the rule when --rule is not on the bus', async () => {
    const run = await redress(['replay', '--from', '1h', '--rule', 'queue-delay']);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`ResourceNotFoundException: Rule arn:aws:events:${REGION}:000000000000:rule/${BUS_NAME}/queue-delay does not exist`);
  });
});

describe('usage and reachability', () => {
  it('answers a usage error with the reason and the usage, and exits 2', async () => {
    const cases = [
      ['replay'],
      ['replay', '--from', 'yesterday'],
      ['replay', '--from', '2026-02-30'],
      ['replay', '--from', '1h', '--to', 'soon'],
      ['replay', '--from', '1h', '--to', '2h'],
      ['replay', '--from', '1h', '--rule', 'not a rule'],
      ['replay', '--from', '1h', '--bus-arn', `arn:aws:events:eu-west-1:123456789012:event-bus/${BUS_NAME}`],
      ['replay', '--from', '1h', '--archive-arn', 'not-an-arn'],
      ['replay', '--from', '1h', '--url', 'ftp://127.0.0.1'],
      ['redrive', '--url', 'not a url'],
      ['redrive', '--id'],
      ['redrive', '--everything'],
      ['redrive', '--queue-url', 'not a url'],
      ['redrive', '--queue-url', 'https://sqs.eu-west-1.amazonaws.com/123456789012/dlq', '--max', '0'],
      ['redrive', '--queue-url', 'https://sqs.eu-west-1.amazonaws.com/123456789012/dlq', '--function', 'not a function'],
      ['redrive', '--max', '10'],
    ];
    const runs = await Promise.all(cases.map((args) => redress(args)));

    runs.forEach((run, index) => {
      expect({ args: cases[index], code: run.code }).toEqual({ args: cases[index], code: 2 });
      expect(run.stderr).toMatch(/^redress: .+\n\nUsage: npx redress/);
      expect(run.stdout).toBe('');
    });
  });

  it("answers a --queue-url that is not the dead-letter queue's URL with the URL it wants, and exits 2 having called nothing", async () => {
    const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/dlq';
    const [page, arn, region] = await Promise.all([
      redress(['redrive', '--queue-url', 'https://console.aws.amazon.com/sqs/v2/home?region=eu-west-1#/queues']),
      redress(['redrive', '--queue-url', 'arn:aws:sqs:eu-west-1:123456789012:dlq', '--dry-run']),
      redress(['redrive', '--queue-url', QUEUE, '--region', 'us-east-1']),
    ]);

    for (const run of [page, arn, region]) expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
    expect(page.stderr).toMatch(/^redress: --queue-url wants the URL of the stack's dead-letter queue, https:\/\/sqs.<region>.amazonaws.com\/<account>\/<name> \(stack output DeadLetterQueueUrl\), got "https:\/\/console/);
    expect(arn.stderr).toMatch(/^redress: --queue-url takes the queue's URL, not its ARN: https:\/\/sqs.eu-west-1.amazonaws.com\/123456789012\/dlq\n/);
    expect(region.stderr).toMatch(/^redress: --region us-east-1 disagrees with --queue-url, whose queue is in eu-west-1/);
  });

  it('exits 1 with a hint when the bus cannot be reached', async () => {
    const closed = await closedPort();
    const url = `http://127.0.0.1:${closed}`;
    const [redrive, replay] = await Promise.all([redress(['redrive', '--url', url]), redress(['replay', '--from', '1h', '--url', url])]);

    for (const run of [redrive, replay]) {
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(`redress: cannot reach the event bus at ${url} (ECONNREFUSED): is npm start running? Start it in another terminal, or point --url (or EVENTBRIDGE_ENDPOINT) at the bus it prints under "EventBridge".\n`);
    }
  });
});

/** A port that was free a moment ago and has nothing listening on it. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
