import { createReadStream, existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { embeddedClassifier } from '#adapters/embedded-classifier';
import { loadConfig } from '#config/load-config';
import { MAX_REPORT_DAYS } from '#domain/sla/sla-report';
import { issueDevToken } from '#infra/local/dev-auth';
import { devSecret } from '#infra/local/dev-secrets';
import { runClassify } from './classify/command.ts';
import { defaultBusUrl } from './recover/bus-endpoint.ts';
import { stackConsumers } from './recover/event-consumers.ts';
import { functionFromOption } from './recover/queue-dead-letter.ts';
import { isRegion, MAX_MESSAGES, parseQueueUrl } from './recover/queue-url.ts';
import { runRedrive } from './recover/redrive.ts';
import { isArchiveArn, localReplayTarget, parseBusArn, ruleArnFor, type ReplayTarget } from './recover/replay-target.ts';
import { parseTime } from './recover/time-window.ts';
import { runSend } from './send/command.ts';
import { DEFAULT_BRANDS, PLATFORMS, type PlatformName } from './send/deliveries.ts';
import { SEND_DEFAULTS } from './send/send-posts.ts';

const USAGE = `Usage: npx redress <command> [options]

Commands:
  classify  Classify posts with the shipped model, as the webhook does
              reads JSON lines {"id", "text", "createdAt", "language"} (only "text" required) or
              plain text lines from stdin (or --file <path>); writes one JSON line per post, in
              input order, with its "id" (null if none) and "line"; a line that cannot be read
              gives {"id", "line", "error"} and the rest go on. Blank lines are skipped.
              --pretty              a readable summary per post instead of JSON
            Exit status: 0 (also when lines had errors), 1 when the input cannot be read.

  token     Print a bearer token for the local support API
              --agent <id>      the agent the token names (default: dev-agent)
              --name <name>     the agent's display name (default: the id)
              --queues <a,b>    queues the agent may work (default: every configured queue)
              --ttl <hours>     hours until it expires (default: 12)
            Signed with LOCAL_JWT_SECRET (default: the local dev secret the stack prints).

  sla       The first-response SLA report of the stack, as a table (GET /api/reports/sla)
              --from <time>         start of the period, inclusive: ISO 8601 (2026-11-22,
                                    2026-11-22T10:00Z; without a zone a time is local time) or
                                    that long ago: 90s, 15m, 2h, 1d (default: 24h)
              --to <time>           end of the period, exclusive (default: now)
              --watch               instead, the tickets at risk now, refreshed until Ctrl-C: in
                                    every queue the token works, those whose SLA is due within
                                    15 minutes or overdue, most overdue first
              --interval <time>     with --watch, how often to refresh: 5s, 30s, 2m (default: 5s)
              --url <url>           the stack's HTTP API (default: $REDRESS_URL or http://127.0.0.1:3000)
              --token <jwt>         the agent's bearer token (default: a local token for every
                                    configured queue, as npx redress token makes it)
            A report covers at most ${MAX_REPORT_DAYS} days, and shows only the queues the token works. Exit
            status: 0 when it was shown, 1 when the API could not be reached or refused (its
            message is shown; --watch: only when its first refresh fails), 2 for a usage error.

  send      Deliver posts to a running stack as a platform would: signed, over its webhook
              --platform <name>     generic (Standard Webhooks, schema v1; default), x (Account
                                    Activity @mentions) or meta (Page feed comments)
              --file <path>         read posts from this file (default: stdin), one per line: plain
                                    text, or JSON {"id", "text", "author", "createdAt", "language",
                                    "inReplyTo"} with only "text" required; a line starting with {
                                    is JSON. "inReplyTo" (a post id) sends the post as a reply.
                                    An id X or Meta could not carry (theirs are digits) is mapped
                                    to one it can, the same one every time
              --url <url>           the stack (default: $REDRESS_URL or http://127.0.0.1:3000)
              --concurrency <n>     requests in flight at once (default: ${SEND_DEFAULTS.concurrency}); with --rate, the most in flight
              --rate <n>            open loop, as platforms send: start n deliveries a second (0.5: one
                                    every 2 s; the --duplicates copies together) on a fixed schedule,
                                    answered or not; one due while --concurrency are in flight waits
                                    for a free slot. Latency then counts from when a request was due,
                                    not when it was written, so a wait on this side counts against the
                                    stack. The summary adds the rate achieved and how far behind
                                    schedule the sender fell (default: closed loop, --concurrency
                                    requests kept in flight)
              --duplicates <n>      send each delivery n times side by side, same bytes and headers,
                                    to test dedupe (default: ${SEND_DEFAULTS.duplicates})
              --batch <n>           meta only: posts per delivery, one change each (default: ${SEND_DEFAULTS.batch})
              --brand-id <id>       the account posts reach: X user id (default ${DEFAULT_BRANDS.x.id}),
                                    Page id (default ${DEFAULT_BRANDS.meta.id}), or generic data.account
              --brand-handle <name> x only: the screen name each post mentions (default ${DEFAULT_BRANDS.x.handle})
              --timeout-ms <n>      per request, then it is a network error (default: ${SEND_DEFAULTS.timeoutMs})
              --json                print the summary as JSON
            Signed with WEBHOOK_SECRETS, X_CONSUMER_SECRET or META_APP_SECRET (default: the dev
            secrets the stack prints). Progress goes to stderr, the summary to stdout. Exit status:
            0 when every post was sent and answered 2xx, 1 otherwise, 2 for a usage error.

  redrive   Give dead-lettered events again to the target that failed them, and only to it
              lists the dead letters (count per rule and error code, oldest first), then redrives
              them; --dry-run lists only
              --id <id>             only this dead letter (repeatable; --dry-run shows the ids)
              --dry-run             list, redrive nothing
            The local event bus (npm start), by default: each goes back to the rule whose target
            failed, with the same event id and a fresh retry budget; one that fails again is
            dead-lettered again under a new id. Safe to repeat: a second run finds nothing to redrive.
              --url <url>           the event bus (default: $EVENTBRIDGE_ENDPOINT or
                                    http://127.0.0.1:$EVENTBRIDGE_PORT, port 4010)
            A deployed stack, with your AWS credentials:
              --queue-url <url>     the stack's dead-letter queue (output DeadLetterQueueUrl):
                                    lists its messages per rule, target and error code, oldest
                                    first, then invokes the function that failed each one
                                    (asynchronously, with the message body, byte for byte; never
                                    onto the bus, which would reach every other rule's target
                                    too) and deletes the message once Lambda took it. The rest
                                    are made visible again at once. --id takes SQS message ids
              --max <n>             receive at most n messages (default: every visible one, up
                                    to ${MAX_MESSAGES})
              --region <region>     the queue's Region (default: the one in its URL)
              --function <name|arn> where Lambda's own dead letters go: a function that kept
                                    failing an asynchronous invoke (the SLA monitor's schedule,
                                    a rule's target) is dead-lettered without its name; without
                                    --function they are skipped, and the listing says which
                                    function each event is for
            Needs sqs:ReceiveMessage, sqs:ChangeMessageVisibility, sqs:DeleteMessage on the
            queue and lambda:InvokeFunction on the functions. Safe to repeat: a message is
            deleted only after its event was taken, and the consumers are idempotent.
            Exit status: 0 when all were redriven (or there were none), 1 when a dead letter was
            skipped (its rule is gone, its target is not a Lambda function, its function is not
            named, its body is not JSON, or no such id; a dry run counts what it would skip), an
            invoke failed, or the bus or queue could not be reached, 2 for a usage error.

  replay    Replay archived events onto the bus (EventBridge StartReplay)
              --from <time>         start of the window (required): ISO 8601 (2026-05-01,
                                    2026-05-01T10:00Z; without a zone a time is local time),
                                    or that long ago: 90s, 15m, 2h, 1d
              --to <time>           end of the window, inclusive (default: now)
              --rule <name>         only this rule's target receives the events (repeatable; a
                                    rule name on the bus, e.g. queue-delays, or a rule ARN)
              --url <url>           the local event bus (default as for redrive)
              --bus-arn <arn>       the bus, and --archive-arn <arn> its archive, to replay on a
                                    deployed stack: then, without --url, the SDK's default AWS
                                    endpoint and credentials are used (region from the bus ARN)
            Events keep their ids and carry "replay-name". Targets are idempotent, so a second
            replay of the same window redelivers the same events and changes nothing. Exit status:
            0 when the replay ran (locally it prints how many events), 1 when the bus could not be
            reached or refused it, 2 for a usage error.
`;

async function token(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      agent: { type: 'string', default: 'dev-agent' },
      name: { type: 'string' },
      queues: { type: 'string' },
      ttl: { type: 'string', default: '12' },
    },
  });
  const ttlHours = Number(values.ttl);
  if (!Number.isFinite(ttlHours) || ttlHours <= 0 || ttlHours > 24 * 30) throw new UsageError('--ttl takes a number of hours from 0 to 720');
  const queues = values.queues?.split(',').map((queue) => queue.trim()).filter(Boolean);
  process.stdout.write(`${await localToken({ agent: values.agent, name: values.name, queues, ttlHours })}\n`);
}

/**
 * A token for the local support API, as `npx redress token` prints it: for `queues` (every
 * configured queue by default), signed with LOCAL_JWT_SECRET (or the printed dev secret).
 */
async function localToken(request: { agent: string; name?: string; queues?: string[]; ttlHours: number }): Promise<string> {
  const configured = loadConfig().config.queues.map((queue) => queue.name);
  const queues = request.queues ?? configured;
  const unknown = queues.filter((queue) => !configured.includes(queue));
  if (unknown.length > 0) throw new UsageError(`unknown queue(s): ${unknown.join(', ')}; configured: ${configured.join(', ')}`);
  const secret = devSecret('LOCAL_JWT_SECRET');
  return issueDevToken({ agent: request.agent, name: request.name, queues, ttlSeconds: Math.round(request.ttlHours * 3600) }, secret);
}

async function sla(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      url: { type: 'string', default: process.env.REDRESS_URL || 'http://127.0.0.1:3000' },
      token: { type: 'string' },
      watch: { type: 'boolean', default: false },
      interval: { type: 'string' },
    },
  });
  const url = URL.canParse(values.url) ? new URL(values.url) : undefined;
  if (!url || !['http:', 'https:'].includes(url.protocol)) throw new UsageError(`--url wants the HTTP API's http(s) URL, got "${values.url}"`);
  const base = url.href.replace(/\/$/, '');
  const bearer = values.token ?? (await localToken({ agent: 'dev-agent', ttlHours: 12 }));

  if (values.watch) {
    if (values.from !== undefined || values.to !== undefined) throw new UsageError('--watch shows the tickets at risk now; --from and --to are for the report');
    const intervalMs = interval(values.interval ?? '5s');
    const stop = new AbortController();
    process.once('SIGINT', () => stop.abort());
    const { runSlaWatch } = await import('./sla/watch.ts');
    process.exitCode = await runSlaWatch({ url: base, token: bearer, intervalMs, signal: stop.signal });
    return;
  }
  if (values.interval !== undefined) throw new UsageError('--interval is for --watch');
  const now = new Date();
  const from = parseTime(values.from ?? '24h', now);
  if (!from) throw new UsageError(`--from takes ISO 8601 (2026-11-22T10:00Z) or how long ago (90s, 15m, 2h, 1d), got "${values.from}"`);
  const to = values.to === undefined ? undefined : parseTime(values.to, now);
  if (to === undefined && values.to !== undefined) throw new UsageError(`--to takes ISO 8601 (2026-11-22T10:00Z), how long ago (90s, 15m, 2h, 1d) or now, got "${values.to}"`);
  if (from.getTime() > (to ?? now).getTime()) throw new UsageError(`--from (${from.toISOString()}) is after --to (${(to ?? now).toISOString()})`);
  const { runSlaReport } = await import('./sla/report.ts');
  process.exitCode = await runSlaReport({ url: base, token: bearer, from, ...(to ? { to } : {}) });
}

/** `--interval`: seconds (`5`, `5s`) or minutes (`1m`), from 1 s to 1 h. */
function interval(value: string): number {
  const match = /^(\d+)(s|m)?$/.exec(value.trim());
  const ms = match ? Number(match[1]) * (match[2] === 'm' ? 60_000 : 1000) : Number.NaN;
  if (!(ms >= 1000 && ms <= 3_600_000)) throw new UsageError(`--interval takes a time from 1s to 60m (5s, 30s, 2m), got "${value}"`);
  return ms;
}

async function send(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      platform: { type: 'string', default: 'generic' },
      file: { type: 'string' },
      url: { type: 'string', default: process.env.REDRESS_URL || 'http://127.0.0.1:3000' },
      concurrency: { type: 'string', default: String(SEND_DEFAULTS.concurrency) },
      rate: { type: 'string' },
      duplicates: { type: 'string', default: String(SEND_DEFAULTS.duplicates) },
      batch: { type: 'string', default: String(SEND_DEFAULTS.batch) },
      'brand-id': { type: 'string' },
      'brand-handle': { type: 'string' },
      'timeout-ms': { type: 'string', default: String(SEND_DEFAULTS.timeoutMs) },
      json: { type: 'boolean', default: false },
    },
  });
  const platform = values.platform as PlatformName;
  if (!PLATFORMS.includes(platform)) throw new UsageError(`--platform takes ${PLATFORMS.join(', ')}; got "${values.platform}"`);
  const url = URL.canParse(values.url) ? new URL(values.url) : undefined;
  if (!url || !['http:', 'https:'].includes(url.protocol)) throw new UsageError(`--url wants an http(s) URL, got "${values.url}"`);
  const batch = wholeNumber('--batch', values.batch, 1000);
  if (batch > 1 && platform !== 'meta') throw new UsageError('--batch is for --platform meta; X and Standard Webhooks senders deliver one post per request');
  const brandId = values['brand-id'];
  if (brandId !== undefined && platform !== 'generic' && !/^[0-9]{1,19}$/.test(brandId)) {
    throw new UsageError(`--brand-id for ${platform} is the ${platform === 'x' ? 'numeric X user id' : 'numeric Page id'}, got "${brandId}"`);
  }
  if (values.file !== undefined && !existsSync(values.file)) throw new UsageError(`--file ${values.file}: no such file`);
  if (values.file === undefined && process.stdin.isTTY) throw new UsageError('no posts: pipe them in (one per line) or name a file with --file');

  process.exitCode = await runSend({
    file: values.file,
    url: url.href.replace(/\/$/, ''),
    platform,
    concurrency: wholeNumber('--concurrency', values.concurrency, 1000),
    ...(values.rate === undefined ? {} : { rate: positiveNumber('--rate', values.rate, MAX_RATE) }),
    duplicates: wholeNumber('--duplicates', values.duplicates, 100),
    batch,
    timeoutMs: wholeNumber('--timeout-ms', values['timeout-ms'], 600_000),
    brand: { ...(brandId === undefined ? {} : { id: brandId }), ...(values['brand-handle'] === undefined ? {} : { handle: values['brand-handle'] }) },
    json: values.json,
  });
}

function wholeNumber(option: string, value: string, max: number): number {
  const number = Number(value);
  if (!/^[0-9]+$/.test(value) || number < 1 || number > max) throw new UsageError(`${option} takes a whole number from 1 to ${max}, got "${value}"`);
  return number;
}

/** Deliveries per second; beyond this a timer per delivery is not a schedule any more. */
const MAX_RATE = 10_000;

/** A plain decimal above 0 (0.5, 100); not 1e3, 0x10 or Infinity, which Number() would also take. */
function positiveNumber(option: string, value: string, max: number): number {
  const number = Number(value);
  if (!/^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/.test(value) || !(number > 0) || number > max) {
    throw new UsageError(`${option} takes a number above 0 and up to ${max} (0.5 is one every 2 s), got "${value}"`);
  }
  return number;
}

class UsageError extends Error {}

async function redrive(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      id: { type: 'string', multiple: true, default: [] },
      'dry-run': { type: 'boolean', default: false },
      url: { type: 'string' },
      'queue-url': { type: 'string' },
      max: { type: 'string' },
      region: { type: 'string' },
      function: { type: 'string' },
    },
  });
  const ids = values.id.map((id) => id.trim());
  if (ids.some((id) => id === '')) throw new UsageError('--id takes a dead letter id (npx redress redrive --dry-run lists them)');
  const queueUrl = values['queue-url'];
  if (queueUrl === undefined) {
    const queueOnly = (['max', 'region', 'function'] as const).find((option) => values[option] !== undefined);
    if (queueOnly) throw new UsageError(`--${queueOnly} is for a deployed stack's dead-letter queue: name it with --queue-url <DeadLetterQueueUrl>`);
    process.exitCode = await runRedrive({ url: busUrl(values.url ?? defaultBusUrl()), ids, dryRun: values['dry-run'] });
    return;
  }
  if (values.url !== undefined) throw new UsageError("--url names the local event bus and --queue-url a deployed stack's dead-letter queue: give one of them");
  if (values.region !== undefined && !isRegion(values.region)) throw new UsageError(`--region takes a Region name such as eu-west-1, got "${values.region}"`);
  const queue = parseQueueUrl(queueUrl, values.region);
  if ('problem' in queue) throw new UsageError(queue.problem);
  const max = values.max === undefined ? MAX_MESSAGES : wholeNumber('--max', values.max, MAX_MESSAGES);
  const lambdaFunction = values.function === undefined ? undefined : functionFromOption(values.function, queue.region);
  if (values.function !== undefined && !lambdaFunction) {
    throw new UsageError(`--function takes a Lambda function's name or ARN (arn:aws:lambda:<region>:<account>:function:<name>), got "${values.function}"`);
  }

  // Loaded here, not at the top: the SQS and Lambda clients are only for this path.
  const { runQueueRedrive } = await import('./recover/redrive-queue.ts');
  process.exitCode = await runQueueRedrive({
    queue,
    ids,
    dryRun: values['dry-run'],
    max,
    ...(lambdaFunction === undefined ? {} : { lambdaFunction }),
    consumerOf: stackConsumers(loadConfig().config),
  });
}

async function replay(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      from: { type: 'string' },
      to: { type: 'string', default: 'now' },
      rule: { type: 'string', multiple: true, default: [] },
      url: { type: 'string' },
      'archive-arn': { type: 'string' },
      'bus-arn': { type: 'string' },
    },
  });
  const now = new Date();
  if (values.from === undefined) throw new UsageError('replay needs --from <time>: ISO 8601 (2026-05-01T10:00Z) or how long ago (15m, 2h, 1d)');
  const from = parseTime(values.from, now);
  if (!from) throw new UsageError(`--from takes ISO 8601 (2026-05-01T10:00Z) or how long ago (90s, 15m, 2h, 1d), got "${values.from}"`);
  const to = parseTime(values.to, now);
  if (!to) throw new UsageError(`--to takes ISO 8601 (2026-05-01T10:00Z), how long ago (90s, 15m, 2h, 1d) or now, got "${values.to}"`);
  if (from.getTime() > to.getTime()) throw new UsageError(`--from (${from.toISOString()}) is after --to (${to.toISOString()})`);

  const archiveArn = values['archive-arn'];
  const busArn = values['bus-arn'];
  if (archiveArn !== undefined && !isArchiveArn(archiveArn)) throw new UsageError(`--archive-arn wants arn:aws:events:<region>:<account>:archive/<name>, got "${archiveArn}"`);
  if (busArn !== undefined && !parseBusArn(busArn)) throw new UsageError(`--bus-arn wants arn:aws:events:<region>:<account>:event-bus/<name>, got "${busArn}"`);
  let target: ReplayTarget;
  if (values.url === undefined && (archiveArn !== undefined || busArn !== undefined)) {
    // A deployed stack: its archive has a generated name, so neither ARN can be guessed from the other.
    if (archiveArn === undefined || busArn === undefined) throw new UsageError('to replay on a deployed stack give both --archive-arn and --bus-arn (or --url for a local bus)');
    target = { region: parseBusArn(busArn)!.region, archiveArn, busArn };
  } else {
    const local = localReplayTarget(busUrl(values.url ?? defaultBusUrl()), process.env.AWS_REGION || 'us-east-1', loadConfig().config.busName);
    target = { ...local, ...(archiveArn === undefined ? {} : { archiveArn }), ...(busArn === undefined ? {} : { busArn }) };
  }
  const unnamed = values.rule.filter((rule) => ruleArnFor(rule, target.busArn) === undefined);
  if (unnamed.length > 0) throw new UsageError(`--rule takes a rule name ([.-_A-Za-z0-9], up to 64) or a rule ARN, got "${unnamed[0]}"`);

  // Loaded here, not at the top: the EventBridge client is the heaviest import of the CLI.
  const { runReplay } = await import('./recover/replay.ts');
  process.exitCode = await runReplay({ target, from, to, rules: values.rule, now });
}

/** An http(s) URL without a trailing slash, or a usage error. */
function busUrl(value: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || !['http:', 'https:'].includes(url.protocol)) throw new UsageError(`--url wants the event bus's http(s) URL, got "${value}"`);
  return url.href.replace(/\/$/, '');
}

async function classify(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { pretty: { type: 'boolean', default: false }, file: { type: 'string' } } });
  if (values.file !== undefined && !existsSync(values.file)) throw new UsageError(`--file ${values.file}: no such file`);
  if (values.file === undefined && process.stdin.isTTY) throw new UsageError('no posts: pipe them in (one per line) or name a file with --file');
  const input = values.file === undefined ? process.stdin : createReadStream(values.file);
  const classifier = embeddedClassifier(loadConfig().config.classifier);
  await runClassify({ input, output: process.stdout, classifier, pretty: values.pretty });
}

const commands: Record<string, (args: string[]) => Promise<void>> = { classify, token, send, redrive, replay, sla };

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  const run = commands[command];
  if (!run) throw new UsageError(`unknown command "${command}"`);
  await run(args);
}

// A reader that stops early (`npx redress classify ... | head`) closes the pipe: that is the
// reader's choice, not a failure, so stop quietly as other command-line tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main(process.argv.slice(2)).catch((error: unknown) => {
  const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  process.stderr.write(`redress: ${(error as Error).message}\n${usage ? `\n${USAGE}` : ''}`);
  process.exit(usage ? 2 : 1);
});
