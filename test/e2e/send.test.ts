import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ticket } from '#contracts/ticket';
import { issueDevToken } from '#infra/local/dev-auth';
import type { LocalStack } from '#infra/local/start';
import { startTestStack } from '#test/support/local-stack';
import { eventually } from '#test/support/signed-post';
import type { SendSummary } from '../../bin/send/summary.ts';

// `npx redress send` as a person runs it: a separate node process reading stdin or a file and
// posting to the local stack, here started in this process so the tickets can be checked.
const ROOT = path.resolve(import.meta.dirname, '../..');
let stack: LocalStack;
let dataDir: string;
let token: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'redress-send-'));
  stack = await startTestStack({ dataDir });
  token = await issueDevToken({ agent: 'ana', queues: stack.config.config.queues.map((queue) => queue.name), ttlSeconds: 600 }, stack.secrets.LOCAL_JWT_SECRET);
});
afterAll(() => stack?.stop());

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function redress(args: string[], input = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/redress.ts', ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        REDRESS_URL: stack.url,
        WEBHOOK_SECRETS: stack.secrets.WEBHOOK_SECRETS,
        X_CONSUMER_SECRET: stack.secrets.X_CONSUMER_SECRET,
        META_APP_SECRET: stack.secrets.META_APP_SECRET,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

async function sendJson(args: string[], input: string): Promise<{ run: Run; summary: SendSummary }> {
  const run = await redress(['send', '--json', ...args], input);
  return { run, summary: JSON.parse(run.stdout) as SendSummary };
}

async function ticketFor(queue: string, postId: string): Promise<Ticket> {
  return eventually(async () => {
    const response = await fetch(`${stack.url}/api/queues/${queue}/tickets?limit=100`, { headers: { authorization: `Bearer ${token}` } });
    const { tickets = [] } = (await response.json()) as { tickets?: Ticket[] };
    return tickets.find((ticket) => ticket.firstPostId === postId);
  });
}

function archived(): Array<{ 'detail-type': string; detail: { post?: { id: string }; postId?: string } }> {
  return readFileSync(path.join(dataDir, 'events.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
}

const line = (post: Record<string, unknown>) => JSON.stringify(post);

describe('redress send', () => {
  it('delivers plain-text and JSON lines from stdin, and prints what happened', async () => {
    const input = [
      'Flight RA 214 delayed 4 hours and still stuck at the gate',
      '',
      line({ id: 'send-e2e-bag', text: 'My suitcase never arrived in Lisbon', author: { id: 'u-jane', handle: '@jane' } }),
      'Loved the crew on my flight to Porto, thank you!',
    ].join('\n');
    const run = await redress(['send'], input);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('posts        3');
    expect(run.stdout).toContain('sent         3 requests');
    expect(run.stdout).toContain('accepted     3 (2xx)');
    expect(run.stdout).toContain('server said  2 posts accepted to a queue, 1 to no queue (no issue), 0 duplicates');
    expect(run.stdout).toMatch(/latency ms {3}p50 [\d.]+ {2}p95 [\d.]+ {2}p99 [\d.]+ {2}max [\d.]+/);
    expect(await ticketFor('baggage', 'send-e2e-bag')).toMatchObject({ author: { platform: 'generic', id: 'u-jane', handle: '@jane' } });
  });

  it('reports an unreadable line by its number and does not send it', async () => {
    const file = path.join(dataDir, 'posts.jsonl');
    writeFileSync(file, [line({ id: 'send-e2e-ok', text: 'The meal on RA 88 was cold and stale' }), '{"id": "send-e2e-broken", "text": "Refund please', line({ id: 'send-e2e-notext' })].join('\n'));
    const { run, summary } = await sendJson(['--file', file], '');

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('line 2: not valid JSON');
    expect(run.stderr).toMatch(/line 3: text: .*\(not sent\)/);
    expect(summary).toMatchObject({ posts: 1, invalid: 2, sent: 1, accepted: 1 });
    await stack.bus.drain();
    const sentIds = archived().map((event) => event.detail.post?.id);
    expect(sentIds).toContain('send-e2e-ok');
    expect(sentIds).not.toContain('send-e2e-broken');
  });

  it('sends each post three times at once with --duplicates 3, and the stack opens one ticket', async () => {
    const { run, summary } = await sendJson(['--duplicates', '3'], line({ id: 'send-e2e-thrice', text: 'Seat broken and wifi down the whole flight, unacceptable' }));

    expect(run.code).toBe(0);
    expect(summary).toMatchObject({ posts: 1, sent: 3, accepted: 3, server: { accepted: 1, duplicates: 2 } });
    const ticket = await ticketFor('general', 'send-e2e-thrice');
    await stack.bus.drain();
    expect(archived().filter((event) => event['detail-type'] === 'Post.Classified' && event.detail.post?.id === 'send-e2e-thrice')).toHaveLength(1);
    expect(archived().filter((event) => event['detail-type'] === 'Ticket.Created' && event.detail.postId === 'send-e2e-thrice')).toHaveLength(1);
    expect(ticket.postCount).toBe(1);
  });

  it('delivers as X: a signed Account Activity @mention of the brand', async () => {
    const id = '2124068481790903089';
    const { run, summary } = await sendJson(
      ['--platform', 'x', '--brand-id', '1072583649001988096', '--brand-handle', 'SkyLarkAir'],
      line({ id, text: 'Flight SK 214 cancelled & nobody at the desk to rebook us', author: { id: '1523894410237644800', handle: '@marta_viaja', name: 'Marta Ribeiro' }, language: 'en' }),
    );

    expect(run.code).toBe(0);
    expect(summary).toMatchObject({ platform: 'x', sent: 1, accepted: 1, server: { accepted: 1 } });
    expect(await ticketFor('delays', id)).toMatchObject({
      author: { platform: 'x', id: '1523894410237644800', handle: '@marta_viaja' },
      preview: '@SkyLarkAir Flight SK 214 cancelled & nobody at the desk to rebook us',
    });
  });

  it('delivers as Meta: Page comments, several per delivery with --batch', async () => {
    const ids = ['1043227624498172_1261823348745061', '1043227624498172_884391207715938', '1043227624498172_1580293746102837'];
    const input = [
      line({ id: ids[0], text: 'Mon vol a été annulé et personne ne répond 😡', author: { id: '7305924816124713', name: 'Amélie Durand' }, language: 'fr' }),
      line({ id: ids[1], text: 'Lost baggage on flight SK 451 / the desk says "check online"', author: { id: '2849105563018827', name: 'Jonas Becker' } }),
      line({ id: ids[2], text: 'Still waiting for my bag, day 3', author: { id: '9912837465102938', name: 'Priya Nair' } }),
    ].join('\n');
    const { run, summary } = await sendJson(['--platform', 'meta', '--batch', '2'], input);

    expect(run.code).toBe(0);
    expect(summary).toMatchObject({ platform: 'meta', posts: 3, sent: 2, accepted: 2, server: { accepted: 3 } });
    expect(await ticketFor('baggage', ids[1]!)).toMatchObject({ author: { platform: 'facebook', id: '2849105563018827', name: 'Jonas Becker' } });
    expect(await ticketFor('triage', ids[0]!)).toMatchObject({ preview: 'Mon vol a été annulé et personne ne répond 😡' });
  });

  it('counts requests to a port nobody listens on as network errors, and exits 1', async () => {
    const closed = await closedPort();
    const { run, summary } = await sendJson(['--url', `http://127.0.0.1:${closed}`, '--concurrency', '2'], 'one\ntwo\nthree\n');

    expect(run.code).toBe(1);
    expect(summary).toMatchObject({ sent: 3, accepted: 0, networkErrors: { ECONNREFUSED: 3 }, latencyMs: null });
  });

  it('sends at a fixed rate with --rate, and reports the rate asked and achieved', async () => {
    const input = Array.from({ length: 10 }, (_, index) => line({ id: `send-e2e-rate-${index}`, text: `Flight RA ${300 + index} delayed three hours` })).join('\n');
    const { run, summary } = await sendJson(['--rate', '50'], input);

    expect(run.code).toBe(0);
    expect(run.stderr).toContain('(50 deliveries/s for about 0.2 s, at most 8 in flight)');
    expect(summary).toMatchObject({ sent: 10, accepted: 10, rate: { askedPerSecond: 50, achievedPerSecond: expect.any(Number), maxBehindMs: expect.any(Number) } });
    // The tenth delivery is due 180 ms after the first however fast the stack answers, so the
    // sender cannot have gone faster than asked (a burst would show hundreds a second).
    expect(summary.durationMs).toBeGreaterThanOrEqual(180);
    expect(summary.rate!.achievedPerSecond).toBeLessThan(50.01);
  });

  it('rejects a --rate that is not a number of deliveries per second above 0, and exits 2 without sending', async () => {
    for (const args of [['--rate', '0'], ['--rate', '-2'], ['--rate=-2'], ['--rate', 'NaN'], ['--rate', 'fast'], ['--rate='], ['--rate', '1e3'], ['--rate', 'Infinity']]) {
      const run = await redress(['send', ...args], 'Flight delayed again\n');
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
      expect(run.stderr).toMatch(/^redress: .*--rate.*\n\nUsage: npx redress/s);
      expect(run.stdout).toBe('');
    }
  });

  it('answers a usage error with the reason and the usage, and exits 2 without sending', async () => {
    for (const args of [
      ['--platform', 'linkedin'],
      ['--platform', 'x', '--batch', '5'],
      ['--concurrency', '0'],
      ['--url', 'ftp://127.0.0.1'],
      ['--brand-id', 'not-a-number', '--platform', 'meta'],
      ['--file', path.join(dataDir, 'missing.jsonl')],
      ['--no-such-option'],
    ]) {
      const run = await redress(['send', ...args], 'Flight delayed again\n');
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
      expect(run.stderr).toMatch(/^redress: .+\n\nUsage: npx redress/);
      expect(run.stdout).toBe('');
    }
  });
});

/** A port that was free a moment ago and has nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
