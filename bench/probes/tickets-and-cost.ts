// The measurements behind bench/tickets-and-cost.ts, each in a node process of its own:
//   node --import tsx bench/probes/tickets-and-cost.ts capacity <input.json> <output.json>
//   node --import tsx bench/probes/tickets-and-cost.ts tickets  <input.json> <output.json>
// A process per local stack, because the handlers read their environment once, when first
// imported (as in a Lambda cold start): a second stack in the bench's own process would find the
// webhook module still pointing at the latency section's DynamoDB. Progress goes to stderr as
// `progress: ...` lines; the result to <output.json>.
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { putEventsEntrySize } from '#adapters/put-events-limits';
import { ticketTable } from '#adapters/ticket-table';
import { localDynamoDbClient, startDynalite } from '#infra/local/dynamodb';
import type { BusEvent } from '#infra/local/event-bus/bus';
import { invoke, type Handler } from '#infra/local/invoke';
import { LOCAL_TABLE_NAME, startLocalStack, type LocalStack } from '#infra/local/start';
import { functions } from '#infra/topology';
import type { PostInput } from '../../bin/send/read-posts.ts';
import type { LatencyStats, SendSummary } from '../../bin/send/summary.ts';
import { startCapacityProxy, type CapacityLedger, ledgerDifference } from '../capacity-proxy.ts';
import { benchCorpus } from '../webhook-corpus.ts';
import { sendWithCli as sendPostsWithCli } from '../webhook-latency.ts';

export type BatchName = 'mix' | 'issue' | 'notIssue' | 'followUp' | 'notIssueReply' | 'answer';

export interface EventCount {
  count: number;
  /** PutEvents entry size (§4 of ../shared/specs/eventbridge.md), summed. */
  bytes: number;
  /** 64 KB chunks: what EventBridge bills. */
  chunks: number;
}

export interface LogCount {
  lines: number;
  /** UTF-8 bytes of the lines, without their newlines. */
  bytes: number;
}

export interface BatchMeasure {
  batch: BatchName;
  posts: number;
  /** Requests answered 2xx. */
  accepted: number;
  /** Post.Classified events with a queue: the posts that become ticket work. */
  routed: number;
  /**
   * Post.Classified events the bus hands the enqueue function: those with a queue, and those that
   * are no issue (the follow-ups' rule, infra/topology.ts), which join their author's open ticket if any.
   */
  enqueued: number;
  /** Post.Classified events whose classification says isIssue. */
  classifiedIssues: number;
  capacity: CapacityLedger;
  /** By detail-type. */
  events: Record<string, EventCount>;
  /** By function (`webhook`, `enqueue`), and `webhook metrics` for the EMF lines. */
  logs: Record<string, LogCount>;
  deadLetters: number;
}

export interface CapacityInput {
  mixPosts: number;
  concurrency: number;
  /** Routed Post.Classified events to keep for the enqueue timings. */
  sampleEvents: number;
}

export interface CapacityOutput {
  batches: BatchMeasure[];
  /** The mix's issue posts (texts the classifier routed), for the ticket load. */
  issuePosts: PostInput[];
  sampleEvents: BusEvent[];
  /** Log lines that were not JSON (should be none). */
  otherOutput: string[];
}

export interface TicketsInput {
  issuePosts: PostInput[];
  sampleEvents: BusEvent[];
  posts: number;
  concurrency: number;
  /** Time the webhook one request at a time here (when the latency section's figure is not at hand). */
  unloadedWebhookPosts: number;
  enqueueInvocations: number;
}

export interface TicketsOutput {
  load: {
    posts: number;
    accepted: number;
    /** First request to last answer, as `redress send` measured it. */
    sendMs: number;
    /** From `redress send` returning to the bus having delivered everything. */
    drainMs: number;
    tickets: number;
    deadLetters: number;
    latencyMs: LatencyStats | null;
  };
  unloadedWebhook: { posts: number; accepted: number; latencyMs: LatencyStats | null } | null;
  /** Each enqueue invocation's duration, one at a time, after a few to warm up. */
  enqueueMs: number[];
}

const ROOT = path.resolve(import.meta.dirname, '../..');
const WARM_UP_POSTS = { capacity: 20, tickets: 100 };
const ENQUEUE_WARM_UP = 10;
/** Beyond every local schedule: the SLA monitor's reads are a fixed cost per minute, not per post. */
const NO_SCHEDULE_SECONDS = 86_400;
const QUIET_MS = 200;

const write = process.stderr.write.bind(process.stderr);
const progress = (message: string) => write(`progress: ${message}\n`);

async function capacity(input: CapacityInput): Promise<CapacityOutput> {
  // As deployed: Lambda's application log level INFO (infra/constructs/redress-function.ts), and
  // the webhook's EMF metrics line, which CloudWatch ingests as a log line too.
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  const logs = captureLogs();
  const dynalite = await startDynalite({ port: 0 });
  const proxy = await startCapacityProxy({
    target: dynalite.endpoint,
    table: { partitionKey: ticketTable.partitionKey, sortKey: ticketTable.sortKey, indexes: Object.values(ticketTable.indexes) },
  });
  // The bus keeps its archive in a scratch folder, where it can be read back; DynamoDB stays in memory.
  const dataDir = await mkdtemp(path.join(tmpdir(), 'redress-bench-capacity-'));
  const stack = await startLocalStack({
    dataDir,
    dynamoDbEndpoint: proxy.url,
    port: 0,
    eventBridgePort: 0,
    fakePlatformPort: 0,
    scheduleIntervalSeconds: NO_SCHEDULE_SECONDS,
    log: () => undefined,
  });
  const scratch = await mkdtemp(path.join(tmpdir(), 'redress-bench-posts-'));
  const archive = path.join(dataDir, 'events.jsonl');
  try {
    const send = (name: string, posts: PostInput[]) => sendWithCli(stack, posts, { concurrency: input.concurrency }, path.join(scratch, `${name}.jsonl`));
    progress(`capacity: warming up with ${WARM_UP_POSTS.capacity} posts`);
    await send('warm', distinctAuthors(benchCorpus(WARM_UP_POSTS.capacity, 'warm'), 'warm'));
    await settle(stack, logs);
    logs.take();

    const batches: BatchMeasure[] = [];
    const measure = async (batch: BatchName, posts: PostInput[]) => {
      progress(`capacity: ${posts.length} posts (${batch})`);
      const before = { ledger: proxy.ledger(), events: (await readArchive(archive)).length, deadLetters: (await stack.bus.listDeadLetters()).length };
      const summary = await send(batch, posts);
      await settle(stack, logs);
      const events = (await readArchive(archive)).slice(before.events);
      const classified = events.filter((event) => event['detail-type'] === 'Post.Classified');
      batches.push({
        batch,
        posts: posts.length,
        accepted: summary.accepted,
        routed: classified.filter((event) => event.detail.queue !== null).length,
        enqueued: classified.filter((event) => event.detail.queue !== null || (event.detail.classification as { isIssue?: boolean }).isIssue === false).length,
        classifiedIssues: classified.filter((event) => (event.detail.classification as { isIssue?: boolean }).isIssue === true).length,
        capacity: ledgerDifference(proxy.ledger(), before.ledger),
        events: countEvents(events),
        logs: countLogs(logs.take()),
        deadLetters: (await stack.bus.listDeadLetters()).length - before.deadLetters,
      });
      return classified;
    };

    // The corpus as the latency rows send it, each post from its own author (no follow-ups).
    const mix = distinctAuthors(benchCorpus(input.mixPosts, 'mix'), 'mix');
    const classified = await measure('mix', mix);
    const routed = new Map(classified.map((event) => [(event.detail.post as { id: string }).id, event.detail.queue !== null]));
    // The same texts again, split by what the classifier made of them: new ids, new authors.
    const issueTexts = mix.filter((post) => routed.get(post.id!) === true);
    // A post that is no issue leaves no Post.Classified (config ingest.publishNotIssues off), or one with no queue.
    const otherTexts = mix.filter((post) => routed.get(post.id!) !== true);
    const issues = distinctAuthors(issueTexts.map((post, index) => ({ ...post, id: `issue-${index + 1}` })), 'issue');
    const issueEvents = await measure('issue', issues);
    await measure('notIssue', distinctAuthors(otherTexts.map((post, index) => ({ ...post, id: `other-${index + 1}` })), 'other'));
    // A second post from each issue author, within the follow-up window: it joins their open ticket.
    await measure('followUp', issues.map((post, index) => ({ ...post, id: `follow-${index + 1}` })));
    // The other texts as replies (a direct message, an answer to an agent's reply), which the webhook
    // hands on whatever the classifier says: from new authors, with no ticket to join; then from
    // issue authors, each joining theirs.
    await measure('notIssueReply', distinctAuthors(otherTexts.map((post, index) => ({ ...post, id: `reply-${index + 1}`, inReplyTo: `agent-reply-${index + 1}` })), 'reply'));
    await measure('answer', otherTexts.slice(0, issues.length).map((post, index) => ({ ...post, id: `answer-${index + 1}`, author: issues[index]!.author!, inReplyTo: `agent-reply-${index + 1}` })));

    return {
      batches,
      issuePosts: issueTexts.map(({ text, language }) => (language === undefined ? { text } : { text, language })),
      sampleEvents: issueEvents.filter((event) => event.detail.queue !== null).slice(0, input.sampleEvents),
      otherOutput: logs.other,
    };
  } finally {
    await stack.stop();
    await proxy.stop();
    await dynalite.stop();
    await rm(scratch, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function tickets(input: TicketsInput): Promise<TicketsOutput> {
  // The local stack as the latency rows run it: in memory, its own dynalite, the schedules on.
  const stack = await startLocalStack({ inMemory: true, port: 0, dynamoDbPort: 0, eventBridgePort: 0, fakePlatformPort: 0, log: () => undefined });
  const scratch = await mkdtemp(path.join(tmpdir(), 'redress-bench-posts-'));
  const dynamoDb = localDynamoDbClient(stack.dynamoDbEndpoint);
  try {
    progress(`tickets: warming up with ${WARM_UP_POSTS.tickets} posts`);
    await sendWithCli(stack, distinctAuthors(benchCorpus(WARM_UP_POSTS.tickets, 'warm'), 'warm'), { concurrency: input.concurrency }, path.join(scratch, 'warm.jsonl'));
    await stack.bus.drain();

    let unloadedWebhook: TicketsOutput['unloadedWebhook'] = null;
    if (input.unloadedWebhookPosts > 0) {
      progress(`tickets: ${input.unloadedWebhookPosts} webhook requests one at a time`);
      const posts = distinctAuthors(benchCorpus(input.unloadedWebhookPosts, 'unloaded'), 'unloaded');
      const summary = await sendWithCli(stack, posts, { concurrency: 1 }, path.join(scratch, 'unloaded.jsonl'));
      unloadedWebhook = { posts: posts.length, accepted: summary.accepted, latencyMs: summary.latencyMs };
      await stack.bus.drain();
    }

    progress(`tickets: ${input.posts} issue posts from as many authors, ${input.concurrency} in flight`);
    const posts = Array.from({ length: input.posts }, (_, index): PostInput => ({
      ...input.issuePosts[index % input.issuePosts.length]!,
      id: `load-${index + 1}`,
      author: { id: `load-author-${index + 1}`, handle: `@load${index + 1}` },
    }));
    const ticketsBefore = await countTickets(dynamoDb);
    const deadLettersBefore = (await stack.bus.listDeadLetters()).length;
    const summary = await sendWithCli(stack, posts, { concurrency: input.concurrency }, path.join(scratch, 'load.jsonl'));
    const returned = performance.now();
    await stack.bus.drain();
    const drainMs = performance.now() - returned;
    const load = {
      posts: posts.length,
      accepted: summary.accepted,
      sendMs: summary.durationMs,
      drainMs,
      tickets: (await countTickets(dynamoDb)) - ticketsBefore,
      deadLetters: (await stack.bus.listDeadLetters()).length - deadLettersBefore,
      latencyMs: summary.latencyMs,
    };

    // The enqueue handler as Lambda runs it, one invocation at a time with nothing else going on:
    // the same module, imported here (the stack's copy runs in a worker thread), on events the
    // webhook published, each given a new post and author so that it opens a new ticket.
    progress(`tickets: timing ${input.enqueueInvocations} enqueue invocations one at a time`);
    const { handler } = (await import(pathToFileURL(path.join(ROOT, functions.enqueue.entry)).href)) as { handler: Handler };
    const enqueue = { name: 'enqueue', spec: functions.enqueue, handler };
    const enqueueMs: number[] = [];
    for (let index = 0; index < ENQUEUE_WARM_UP + input.enqueueInvocations; index++) {
      const event = structuredClone(input.sampleEvents[index % input.sampleEvents.length]!);
      const post = event.detail.post as { id: string; author: { id: string } };
      event.id = randomUUID();
      post.id = `timing-${index + 1}`;
      post.author.id = `timing-author-${index + 1}`;
      const started = performance.now();
      await invoke(enqueue, event);
      if (index >= ENQUEUE_WARM_UP) enqueueMs.push(performance.now() - started);
    }
    await stack.bus.drain();
    return { load, unloadedWebhook, enqueueMs };
  } finally {
    dynamoDb.destroy();
    await stack.stop();
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Each post from an author of its own, so that every issue opens a ticket rather than joining one. */
function distinctAuthors(posts: PostInput[], prefix: string): PostInput[] {
  return posts.map((post, index) => ({ ...post, author: { id: `${prefix}-author-${index + 1}`, handle: `@${prefix}${index + 1}` } }));
}

/**
 * `redress send --json` on the Standard Webhooks endpoint, in a process of its own, exactly as
 * the latency section runs it; here every request must be answered 2xx, or the counts are wrong.
 */
async function sendWithCli(stack: LocalStack, posts: PostInput[], load: { concurrency: number }, file: string): Promise<SendSummary> {
  const summary = await sendPostsWithCli(stack, 'generic', { posts, concurrency: load.concurrency }, file);
  if (summary.accepted !== summary.sent) {
    throw new Error(`redress send: ${summary.sent - summary.accepted} of ${summary.sent} requests failed: ${JSON.stringify({ ...summary.rejected, ...summary.networkErrors })}`);
  }
  return summary;
}

/** Waits for the bus to deliver everything, then for the worker threads' log lines to arrive. */
async function settle(stack: LocalStack, logs: ReturnType<typeof captureLogs>): Promise<void> {
  await stack.bus.drain();
  const deadline = performance.now() + 5_000;
  while (performance.now() - logs.lastWriteAt() < QUIET_MS && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS / 4));
  }
}

async function readArchive(file: string): Promise<BusEvent[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as BusEvent);
}

function countEvents(events: BusEvent[]): Record<string, EventCount> {
  const counts: Record<string, EventCount> = {};
  for (const event of events) {
    // The entry as the publisher sent it (shared/adapters/event-publisher.ts sends no Time).
    const bytes = putEventsEntrySize({ Source: event.source, DetailType: event['detail-type'], Detail: JSON.stringify(event.detail), Resources: event.resources });
    const count = (counts[event['detail-type']] ??= { count: 0, bytes: 0, chunks: 0 });
    count.count += 1;
    count.bytes += bytes;
    count.chunks += Math.max(1, Math.ceil(bytes / (64 * 1024)));
  }
  return counts;
}

/**
 * Log lines by the function that wrote them: Powertools lines carry `function_name` (from the
 * Lambda context), the EMF metrics line `_aws` (only the webhook publishes metrics). Not by
 * request id: one logger serves concurrent invocations here, which Lambda never does, so the
 * ids in the lines are not each invocation's own.
 */
function countLogs(lines: string[]): Record<string, LogCount> {
  const counts: Record<string, LogCount> = {};
  for (const line of lines) {
    const record = JSON.parse(line) as { function_name?: string; _aws?: unknown };
    const source = record._aws !== undefined ? 'webhook metrics' : (record.function_name ?? 'unknown');
    const count = (counts[source] ??= { lines: 0, bytes: 0 });
    count.lines += 1;
    count.bytes += Buffer.byteLength(line, 'utf8');
  }
  return counts;
}

/**
 * Takes every line written to stdout and stderr (the webhook's, in this thread, and the worker
 * threads', which node pipes through this process's streams) instead of printing it. JSON lines
 * are the handlers' logs; anything else is kept aside and printed, since nothing else should write.
 */
function captureLogs() {
  let lines: string[] = [];
  const other: string[] = [];
  let lastWriteAt = performance.now();
  for (const name of ['stdout', 'stderr'] as const) {
    const stream = process[name];
    let partial = '';
    stream.write = ((chunk: string | Uint8Array, encoding?: unknown, callback?: unknown) => {
      partial += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      for (let newline = partial.indexOf('\n'); newline >= 0; newline = partial.indexOf('\n')) {
        const line = partial.slice(0, newline);
        partial = partial.slice(newline + 1);
        if (line.startsWith('{')) lines.push(line);
        else if (line.trim()) {
          other.push(line);
          write(`${line}\n`);
        }
      }
      lastWriteAt = performance.now();
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') done();
      return true;
    }) as typeof stream.write;
  }
  return {
    other,
    lastWriteAt: () => lastWriteAt,
    take(): string[] {
      const taken = lines;
      lines = [];
      return taken;
    },
  };
}

async function countTickets(client: ReturnType<typeof localDynamoDbClient>): Promise<number> {
  let count = 0;
  let start: Record<string, never> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: LOCAL_TABLE_NAME,
        FilterExpression: '#type = :ticket',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':ticket': { S: 'ticket' } },
        Select: 'COUNT',
        ExclusiveStartKey: start,
      }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (start);
  return count;
}

const [mode, inputFile, outputFile] = process.argv.slice(2);
if (!inputFile || !outputFile || (mode !== 'capacity' && mode !== 'tickets')) {
  write('usage: node --import tsx bench/probes/tickets-and-cost.ts capacity|tickets <input.json> <output.json>\n');
  process.exit(2);
}
const input = JSON.parse(await readFile(inputFile, 'utf8')) as unknown;
const output = mode === 'capacity' ? await capacity(input as CapacityInput) : await tickets(input as TicketsInput);
await writeFile(outputFile, JSON.stringify(output));
process.exit(0);
