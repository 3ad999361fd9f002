import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { splitSecretList } from '#adapters/secrets';
import { startLocalStack, type LocalStack } from '#infra/local/start';
import type { PlatformName } from '../bin/send/deliveries.ts';
import type { PostInput } from '../bin/send/read-posts.ts';
import type { SendSummary } from '../bin/send/summary.ts';
import type { Cell, Section } from './report.ts';
import { benchCorpus } from './webhook-corpus.ts';

/** Goal G5 (../shared/research/perf-reliability.md §6), from the platforms' deadlines in §2. */
const TARGETS = { p50Ms: 50, p99Ms: 1_000, maxMs: 3_000 };
const PLATFORMS: PlatformName[] = ['generic', 'x', 'meta'];
const WARM_UP_POSTS = 100;
/** The one-at-a-time row: what a request costs when nothing else is in flight. */
const UNLOADED_POSTS = 200;
/** The most updates Meta puts in one delivery (../shared/specs/webhooks.md §2.4). */
const META_MAX_BATCH = 1_000;
/**
 * The steady rows: deliveries at a fixed rate, as a platform sends them, below what the closed-loop
 * rows show the stack can take; the cap on requests in flight is only there to bound the sender.
 */
const STEADY = { rate: 100, posts: 1_000, maxInFlight: 64 };

export interface WebhookLatencyOptions {
  progress: (message: string, transient?: boolean) => void;
  posts?: number;
  concurrency?: number;
}

interface Run {
  label: string;
  /** Requests kept in flight; at a fixed rate (`summary.rate`), the most allowed in flight. */
  concurrency: number;
  summary: SendSummary;
  /** How long the bus took afterwards to deliver what the run left queued (enqueue, tickets). */
  drainMs: number;
}

/** The CLI as a user runs it (`npx redress send`). */
const REDRESS_CLI = path.resolve(import.meta.dirname, '../bin/redress.js');
const SEND_TIMEOUT_MS = 10 * 60_000;

export interface SendRun {
  posts: PostInput[];
  concurrency: number;
  rate?: number;
  batch?: number;
}

/**
 * Webhook acknowledgement latency under load, measured with `npx redress send` in its own
 * process (as a platform is a client of its own) against the local stack started in this
 * process: every platform's endpoint with the same fixed corpus, after a warm-up, with the bus
 * drained between runs so that one run's ticket writes do not slow the next. Closed-loop rows
 * (`--concurrency`) find the stack's saturation; steady rows (`--rate`) the latency a platform
 * sees at a fixed arrival rate below it.
 */
export async function webhookLatencySection({ progress, posts = 2_000, concurrency = 16 }: WebhookLatencyOptions): Promise<Section> {
  progress('webhook latency: starting the local stack in memory');
  const stack = await startLocalStack({ inMemory: true, port: 0, dynamoDbPort: 0, eventBridgePort: 0, fakePlatformPort: 0, log: () => undefined });
  const scratch = await mkdtemp(path.join(tmpdir(), 'redress-bench-send-'));
  try {
    const send = (platform: PlatformName, run: SendRun, onProgress?: (line: string) => void) =>
      sendWithCli(stack, platform, run, path.join(scratch, `${platform}.jsonl`), onProgress);

    progress(`webhook latency: warming up with ${WARM_UP_POSTS} posts per platform`);
    const firstRequestMs: Partial<Record<PlatformName, number>> = {};
    for (const platform of PLATFORMS) {
      const first = await send(platform, { posts: benchCorpus(1, `warm-first-${platform}`), concurrency: 1 });
      firstRequestMs[platform] = first.latencyMs?.max;
      await send(platform, { posts: benchCorpus(WARM_UP_POSTS, `warm-${platform}`), concurrency });
    }
    await stack.bus.drain();

    const runs: Run[] = [];
    const measure = async (label: string, platform: PlatformName, count: number, load: { inFlight: number; rate?: number; batch?: number }) => {
      const { inFlight, rate, batch = 1 } = load;
      const summary = await send(platform, {
        posts: benchCorpus(count, `bench-${platform}-${inFlight}-${batch}${rate === undefined ? '' : `-at-${rate}`}`),
        concurrency: inFlight,
        ...(rate === undefined ? {} : { rate }),
        batch,
      }, (line) => progress(`webhook latency: ${label}: ${line}`, true));
      const drainStarted = performance.now();
      await stack.bus.drain();
      runs.push({ label, concurrency: inFlight, summary, drainMs: performance.now() - drainStarted });
      progress(`webhook latency: ${label}: ${summary.accepted}/${summary.sent} accepted, p99 ${summary.latencyMs?.p99.toFixed(0) ?? '-'} ms`);
    };
    await measure('generic, one at a time', 'generic', UNLOADED_POSTS, { inFlight: 1 });
    for (const platform of PLATFORMS) await measure(`${platform}`, platform, posts, { inFlight: concurrency });
    await measure(`meta, one ${META_MAX_BATCH}-change delivery`, 'meta', META_MAX_BATCH, { inFlight: 1, batch: META_MAX_BATCH });
    for (const platform of PLATFORMS) {
      await measure(`${platform}, ${STEADY.rate}/s steady`, platform, STEADY.posts, { inFlight: STEADY.maxInFlight, rate: STEADY.rate });
    }
    return assemble(runs, firstRequestMs, { posts, concurrency });
  } finally {
    progress('webhook latency: stopping the local stack');
    await stack.stop();
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * One `redress send --json` run in a child process: the posts go in as a JSON-lines file, the
 * summary comes back on stdout, progress lines on stderr. The secret is handed over the way a
 * person would, in the platform's environment variable.
 */
export async function sendWithCli(stack: LocalStack, platform: PlatformName, run: SendRun, file: string, onProgress?: (line: string) => void): Promise<SendSummary> {
  await writeFile(file, run.posts.map((post) => JSON.stringify(post)).join('\n'));
  const args = [REDRESS_CLI, 'send', '--platform', platform, '--url', stack.url, '--file', file, '--concurrency', String(run.concurrency), '--json'];
  if (run.rate !== undefined) args.push('--rate', String(run.rate));
  if (run.batch !== undefined && run.batch > 1) args.push('--batch', String(run.batch));
  const env = { ...process.env, [SECRET_VARIABLE[platform]]: secretFor(stack, platform) };
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, args, { env, timeout: SEND_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`redress send --platform ${platform} failed: ${error.message}\n${stderr}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout) as SendSummary);
      } catch {
        reject(new Error(`redress send --platform ${platform} printed no JSON summary:\n${stdout}\n${stderr}`));
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      const line = chunk.toString('utf8').trim().split('\n').at(-1);
      if (line && onProgress) onProgress(line);
    });
  });
}

const SECRET_VARIABLE: Record<PlatformName, string> = { generic: 'WEBHOOK_SECRETS', x: 'X_CONSUMER_SECRET', meta: 'META_APP_SECRET' };

/** The secret the stack verifies with (the first of a list is the current one). */
function secretFor(stack: LocalStack, platform: PlatformName): string {
  const list = { generic: stack.secrets.WEBHOOK_SECRETS, x: stack.secrets.X_CONSUMER_SECRET, meta: stack.secrets.META_APP_SECRET }[platform];
  const [current] = splitSecretList(list);
  if (!current) throw new Error(`the local stack has no ${SECRET_VARIABLE[platform]} to sign ${platform} deliveries with`);
  return current;
}

function assemble(runs: Run[], firstRequestMs: Partial<Record<PlatformName, number>>, load: { posts: number; concurrency: number }): Section {
  const verdict = (met: boolean) => (met ? 'yes' : 'NO');
  const rows: Cell[][] = runs.map(({ label, concurrency, summary }) => {
    const latency = summary.latencyMs;
    const failed = summary.sent - summary.accepted;
    const timedOut = summary.networkErrors.TIMEOUT ?? 0;
    return [
      label,
      summary.rate === undefined ? String(concurrency) : `<=${concurrency}`,
      String(summary.sent),
      String(summary.accepted),
      String(failed),
      rate(summary.sent / (summary.durationMs / 1000)),
      latency ? ms(latency.p50) : '-',
      latency ? ms(latency.p95) : '-',
      latency ? ms(latency.p99) : '-',
      latency ? ms(latency.max) : '-',
      verdict(latency !== null && latency.p50 <= TARGETS.p50Ms),
      verdict(latency !== null && latency.p99 <= TARGETS.p99Ms),
      verdict(latency !== null && latency.max <= TARGETS.maxMs && timedOut === 0),
    ];
  });
  const loaded = runs.filter((run) => run.summary.rate === undefined && run.concurrency === load.concurrency);
  const steady = runs.filter((run) => run.summary.rate !== undefined);
  const throughput = loaded.map((run) => run.summary.sent / (run.summary.durationMs / 1000));
  const meanThroughput = throughput.reduce((sum, value) => sum + value, 0) / Math.max(1, throughput.length);
  const failures = runs.flatMap(({ label, summary }) =>
    Object.entries({ ...summary.rejected, ...summary.networkErrors }).map(
      ([code, count]) => `  ${label}: ${count}× ${code}${summary.rejectionExamples[code] ? ` (${summary.rejectionExamples[code]})` : ''}`,
    ),
  );
  return {
    id: 'webhook-latency',
    title:
      `Webhook acknowledgement latency on the local stack (redress send: ${load.posts} posts per platform closed-loop at ${load.concurrency} in flight,` +
      ` then ${STEADY.posts} at a steady ${STEADY.rate}/s)`,
    columns: [
      { header: 'run', align: 'left' },
      { header: 'in flight', align: 'right' },
      { header: 'requests', align: 'right' },
      { header: '2xx', align: 'right' },
      { header: 'failed', align: 'right' },
      { header: 'req/s', align: 'right' },
      { header: 'p50 ms', align: 'right' },
      { header: 'p95', align: 'right' },
      { header: 'p99', align: 'right' },
      { header: 'max', align: 'right' },
      { header: `p50<=${TARGETS.p50Ms}`, align: 'left' },
      { header: `p99<=${TARGETS.p99Ms / 1000}s`, align: 'left' },
      { header: `none>${TARGETS.maxMs / 1000}s`, align: 'left' },
    ],
    rows,
    notes: [
      'Latency: per request, from writing it to reading the whole response; in the steady rows from when it was due, so a wait',
      'in the sender counts too (nearest-rank percentiles). Targets: G5 in ../shared/research/perf-reliability.md §6 (p50 <= 50 ms',
      'warm, p99 <= 1 s, nothing over 3 s); failed = non-2xx or no answer.',
      `Each platform gets the same fixed corpus (complaints, other languages, praise and questions) after a ${WARM_UP_POSTS}-post warm-up;`,
      'the bus is drained between runs. `redress send` runs in a process of its own; the HTTP gateway, the webhook handler and',
      "the local bus share the stack's main thread (dynalite and the enqueue function have worker threads of their own).",
      `Closed loop (the rows at ${load.concurrency} in flight): each answer lets the next request go, so ${load.concurrency} are always waiting and the rows`,
      `measure the stack at saturation: req/s is its throughput (about ${meanThroughput.toFixed(0)} req/s), and latency is mostly queueing on that`,
      `thread (${load.concurrency} / ${meanThroughput.toFixed(0)} req/s ≈ ${ms((load.concurrency / Math.max(1, meanThroughput)) * 1000)} ms).`,
      `Steady (the ${STEADY.rate}/s rows, \`--rate ${STEADY.rate} --concurrency ${STEADY.maxInFlight}\`): a delivery every ${ms(1000 / STEADY.rate)} ms whether or not the earlier ones`,
      // Within a fifth of saturation the steady rows queue as well, and the note should not say otherwise.
      STEADY.rate <= 0.8 * meanThroughput
        ? 'were answered, as a platform sends, well below that saturation: the latency a platform sees at a fixed arrival rate.'
        : 'were answered, as a platform sends; on this run that is close to or above the closed-loop throughput, so these rows queue too.',
      ...(steady.length
        ? [
            `Sender at worst behind schedule: ${steady.map(({ label, summary }) => `${label.split(',')[0]} ${ms(summary.rate?.maxBehindMs ?? Number.NaN)} ms`).join(', ')}` +
              ` (achieved ${steady.map(({ summary }) => (summary.rate?.achievedPerSecond ?? Number.NaN).toFixed(1)).join(', ')} deliveries/s).`,
          ]
        : []),
      `The one-at-a-time row is the cost of a single request with nothing else in flight; "meta, one ${META_MAX_BATCH}-change delivery" is one`,
      `delivery as large as Meta sends (§2.4 of ../shared/specs/webhooks.md), each comment claimed, classified and handed on before the 200.`,
      `First request each handler served after start (not in the rows): ${PLATFORMS.map((platform) => `${platform} ${ms(firstRequestMs[platform] ?? Number.NaN)} ms`).join(', ')}.`,
      runs.every((run) => run.drainMs < 100)
        ? 'The bus had nothing left to deliver after any run: tickets were written as fast as posts were acknowledged.'
        : `Bus drained after each run in: ${runs.map((run) => `${run.label} ${(run.drainMs / 1000).toFixed(1)} s`).join(', ')}.`,
      ...(failures.length ? ['', 'Failed requests:', ...failures] : []),
    ],
    data: {
      targets: TARGETS,
      posts: load.posts,
      concurrency: load.concurrency,
      steady: STEADY,
      firstRequestMs,
      runs: runs.map(({ label, concurrency, summary, drainMs }) => ({ label, concurrency, drainMs, ...summary })),
    },
  };
}

const rate = (perSecond: number) => (perSecond < 10 ? perSecond.toFixed(1) : perSecond.toFixed(0));
const ms = (value: number) => (Number.isNaN(value) ? '-' : value < 10 ? value.toFixed(1) : value.toFixed(0));
