import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { functions } from '#infra/topology';
import { sumLedger, type CapacityCount } from './capacity-proxy.ts';
import { costPerMillionPosts, g7Verdict, G7, US_EAST_1_PRICES, type CostEstimate, type CostInputs, type CostLine, type PostProfile } from './cost-model.ts';
import type { BatchMeasure, BatchName, CapacityInput, CapacityOutput, TicketsInput, TicketsOutput } from './probes/tickets-and-cost.ts';
import type { Cell, Section } from './report.ts';
import { median } from './stats.ts';

export interface TicketsAndCostOptions {
  progress: (message: string, transient?: boolean) => void;
  /**
   * The webhook's one-at-a-time p50 from the latency section, in ms: the webhook's duration in
   * the cost. Without it (a run of this section alone) it is measured here the same way.
   */
  webhookUnloadedP50Ms?: number;
  /** Posts of the bench corpus whose capacity is counted; their issues and the rest are sent again apart. */
  mixPosts?: number;
  /** Issue posts for the tickets-per-second row, each from its own author. */
  loadPosts?: number;
  concurrency?: number;
}

const PROBE = path.join(import.meta.dirname, 'probes/tickets-and-cost.ts');
const UNLOADED_WEBHOOK_POSTS = 200;
const ENQUEUE_INVOCATIONS = 200;
/** §3.2's assumed durations, for comparison with the local ones. */
const WORKED_EXAMPLE_MS = { webhook: 50, enqueue: 60 };
/** Requests in flight while the capacity batches are sent: counts do not depend on it. */
const CAPACITY_CONCURRENCY = 8;

const LABELS: Record<Exclude<BatchName, 'mix'>, string> = {
  issue: 'issue post (opens a ticket)',
  notIssue: 'other post (no queue)',
  followUp: 'follow-up (joins the open ticket)',
  notIssueReply: 'reply, no issue (no ticket to join)',
  answer: 'reply, no issue (joins the open ticket)',
};

/**
 * What one post costs, counted on the local stack, and what a million cost on AWS (goal G7 of
 * ../shared/research/perf-reliability.md §6): DynamoDB capacity units per post through a
 * counting proxy, EventBridge events and bytes from the bus archive, log bytes at the deployed
 * log level, tickets created per second, and the cost lines of §3.2 from these figures and list
 * prices. Each stack runs in a process of its own (bench/probes/tickets-and-cost.ts says why).
 */
export async function ticketsAndCostSection(options: TicketsAndCostOptions): Promise<Section> {
  const { progress, mixPosts = 500, loadPosts = 500, concurrency = 16 } = options;
  const scratch = await mkdtemp(path.join(tmpdir(), 'redress-bench-cost-'));
  try {
    progress('tickets and cost: counting capacity units, events and log bytes per post (local stack behind a counting proxy)');
    const capacity = await runProbe<CapacityInput, CapacityOutput>('capacity', { mixPosts, concurrency: CAPACITY_CONCURRENCY, sampleEvents: ENQUEUE_INVOCATIONS }, scratch, progress);
    progress('tickets and cost: tickets per second, enqueue durations (local stack in memory)');
    const tickets = await runProbe<TicketsInput, TicketsOutput>(
      'tickets',
      {
        issuePosts: capacity.issuePosts,
        sampleEvents: capacity.sampleEvents,
        posts: loadPosts,
        concurrency,
        unloadedWebhookPosts: options.webhookUnloadedP50Ms === undefined ? UNLOADED_WEBHOOK_POSTS : 0,
        enqueueInvocations: ENQUEUE_INVOCATIONS,
      },
      scratch,
      progress,
    );
    return assemble(capacity, tickets, options.webhookUnloadedP50Ms, concurrency);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** One probe run in a fresh node process; its `progress:` lines are passed on. */
async function runProbe<I, O>(mode: string, input: I, scratch: string, progress: TicketsAndCostOptions['progress']): Promise<O> {
  const inputFile = path.join(scratch, `${mode}-input.json`);
  const outputFile = path.join(scratch, `${mode}-output.json`);
  await writeFile(inputFile, JSON.stringify(input));
  const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const child = spawn(process.execPath, ['--import', 'tsx', PROBE, mode, inputFile, outputFile], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const stderr: string[] = [];
  let partial = '';
  child.stderr.on('data', (chunk: Buffer) => {
    partial += chunk.toString('utf8');
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('progress: ')) progress(`tickets and cost: ${line.slice('progress: '.length)}`, true);
      else if (line.trim()) stderr.push(line);
    }
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new Error(`the ${mode} probe (bench/probes/tickets-and-cost.ts) exited with ${code}:\n${[...stderr, partial].join('\n')}`);
  return JSON.parse(await readFile(outputFile, 'utf8')) as O;
}

interface Profile extends PostProfile {
  posts: number;
  requests: { webhook: CapacityCount; tickets: CapacityCount };
  eventsByType: Record<string, { count: number; bytes: number }>;
  eventBytes: number;
  logs: Record<string, { lines: number; bytes: number }>;
}

/** Per post of a batch: every count divided by the posts sent. */
function profileOf(batch: BatchMeasure): Profile {
  const per = (value: number) => value / batch.posts;
  // The webhook writes only dedupe records; everything else is the enqueue function's ticket work.
  const webhook = sumLedger(batch.capacity, (_, kind) => kind === 'DEDUPE');
  const tickets = sumLedger(batch.capacity, (_, kind) => kind !== 'DEDUPE');
  const events = Object.entries(batch.events);
  return {
    posts: batch.posts,
    webhookRequests: per(batch.accepted),
    // Each Post.Classified a rule hands the enqueue function is one invocation (none failed: see deadLetters).
    enqueueInvocations: per(batch.enqueued),
    events: Object.fromEntries(events.map(([type, count]) => [type, per(count.chunks)])),
    wru: { webhook: per(webhook.wru), tickets: per(tickets.wru) },
    rru: { webhook: per(webhook.rru), tickets: per(tickets.rru) },
    logBytes: per(Object.values(batch.logs).reduce((sum, count) => sum + count.bytes, 0)),
    requests: { webhook, tickets },
    eventsByType: Object.fromEntries(events.map(([type, count]) => [type, { count: per(count.count), bytes: per(count.bytes) }])),
    eventBytes: per(events.reduce((sum, [, count]) => sum + count.bytes, 0)),
    logs: Object.fromEntries(Object.entries(batch.logs).map(([source, count]) => [source, { lines: per(count.lines), bytes: per(count.bytes) }])),
  };
}

function assemble(capacity: CapacityOutput, tickets: TicketsOutput, webhookP50FromLatency: number | undefined, concurrency: number): Section {
  const batch = (name: BatchName) => {
    const found = capacity.batches.find((measured) => measured.batch === name);
    if (!found) throw new Error(`tickets and cost: the capacity probe measured no ${name} batch`);
    return found;
  };
  const mix = batch('mix');
  const profiles = {
    mix: profileOf(mix),
    issue: profileOf(batch('issue')),
    notIssue: profileOf(batch('notIssue')),
    followUp: profileOf(batch('followUp')),
    notIssueReply: profileOf(batch('notIssueReply')),
    answer: profileOf(batch('answer')),
  };
  const deadLetters = capacity.batches.reduce((sum, measured) => sum + measured.deadLetters, 0) + tickets.load.deadLetters;

  const webhookP50 = webhookP50FromLatency ?? tickets.unloadedWebhook?.latencyMs?.p50 ?? Number.NaN;
  const webhookSource =
    webhookP50FromLatency !== undefined ? "p50 of the latency section's one-at-a-time row" : `p50 of ${tickets.unloadedWebhook?.posts ?? 0} requests one at a time, measured here`;
  const enqueueBilled = mean(tickets.enqueueMs.map((ms) => Math.ceil(ms)));
  const lambda = {
    webhook: { memoryMb: functions.webhook.memorySize, billedMs: Math.ceil(webhookP50) },
    enqueue: { memoryMb: functions.enqueue.memorySize, billedMs: enqueueBilled },
  };
  const inputs: CostInputs = { issueShare: G7.issueShare, issue: profiles.issue, notIssue: profiles.notIssue, ...lambda };
  const cost = costPerMillionPosts(inputs);
  const verdict = g7Verdict(cost.totalUsd);
  // What the total would be under other readings, for the notes.
  const workedDurations = costPerMillionPosts({
    ...inputs,
    webhook: { ...lambda.webhook, billedMs: WORKED_EXAMPLE_MS.webhook },
    enqueue: { ...lambda.enqueue, billedMs: WORKED_EXAMPLE_MS.enqueue },
  }).totalUsd;
  const withOverhead = (profile: Profile): PostProfile => ({
    ...profile,
    wru: { ...profile.wru, tickets: profile.wru.tickets + (profile.requests.tickets.indexWruWithOverhead - profile.requests.tickets.indexWru) / profile.posts },
  });
  const indexOverheadTotal = costPerMillionPosts({ ...inputs, issue: withOverhead(profiles.issue), notIssue: withOverhead(profiles.notIssue) }).totalUsd;
  const followUpTotal = costPerMillionPosts({ ...inputs, issue: profiles.followUp }).totalUsd;
  const everyOtherAReplyTotal = costPerMillionPosts({ ...inputs, notIssue: profiles.notIssueReply }).totalUsd;

  const load = tickets.load;
  const windowMs = load.sendMs + load.drainMs;
  const ticketsPerSecond = load.tickets / (windowMs / 1000);
  const kinds = ['mix', 'issue', 'notIssue', 'followUp', 'notIssueReply', 'answer'] as const;
  const labels = { ...LABELS, mix: `bench post (${percent(mix.routed / mix.posts)} issues)` };

  const rows: Cell[][] = [
    ['issue share of the bench corpus', percent(mix.routed / mix.posts), `${mix.routed} of ${mix.posts} posts went to a queue (the classifier called ${mix.classifiedIssues} issues); the cost uses G7's ${percent(G7.issueShare)}`],
    [
      `tickets created per second (local, ${cpus().length} cores)`,
      `${ticketsPerSecond.toFixed(0)}/s`,
      `${load.tickets} tickets from ${load.posts} issue posts by as many authors, ${concurrency} in flight; first request to bus drained ${seconds(windowMs)}`,
    ],
    ['  bus drain after the last answer', seconds(load.drainMs), `redress send took ${seconds(load.sendMs)} (p50 ${ms(load.latencyMs?.p50 ?? Number.NaN)} ms a request); the rest is ticket work still queued`],
    ...kinds.map((kind) => {
      const profile = profiles[kind];
      const ticketWork = profile.requests.tickets;
      const reported = (profile.requests.webhook.reportedWru + ticketWork.reportedWru) / profile.posts;
      return [
        `DynamoDB WRU per ${labels[kind]}`,
        fixed(profile.wru.webhook + profile.wru.tickets),
        `dedupe ${fixed(profile.wru.webhook)} + tickets ${fixed(profile.wru.tickets)} (GSI ${fixed(ticketWork.indexWru / profile.posts)}, failed conditions ${fixed(ticketWork.failedConditionWru / profile.posts)}); dynalite reports ${fixed(reported)}`,
      ];
    }),
    ...kinds.map((kind) => {
      const profile = profiles[kind];
      const calls = (profile.requests.webhook.requests + profile.requests.tickets.requests) / profile.posts;
      return [`DynamoDB RRU per ${labels[kind]}`, fixed(profile.rru.webhook + profile.rru.tickets), `dedupe ${fixed(profile.rru.webhook)} + tickets ${fixed(profile.rru.tickets)}; ${fixed(calls, 1)} DynamoDB calls in all`];
    }),
    ...kinds.map((kind) => {
      const profile = profiles[kind];
      const chunks = Object.values(profile.events).reduce((sum, value) => sum + value, 0);
      const byType = Object.entries(profile.eventsByType).map(([type, count]) => `${type} ${fixed(count.count)}`);
      return [`EventBridge events per ${labels[kind]}`, fixed(chunks), `${byType.join(', ')}; ${profile.eventBytes.toFixed(0)} bytes, ${fixed(chunks)} billed 64 KB chunks`];
    }),
    ...kinds.map((kind) => {
      const profile = profiles[kind];
      const source = (name: string) => profile.logs[name]?.bytes ?? 0;
      const enqueue = source('enqueue') > 0 ? `, enqueue ${source('enqueue').toFixed(0)}` : '';
      return [
        `log bytes per ${labels[kind]}`,
        profile.logBytes.toFixed(0),
        `webhook ${source('webhook').toFixed(0)} + its EMF metrics line ${source('webhook metrics').toFixed(0)}${enqueue}; Powertools at INFO`,
      ];
    }),
    ['Lambda billed duration, webhook', `${lambda.webhook.billedMs} ms`, `${ms(webhookP50)} ms request to answer, rounded up: ${webhookSource}; ${lambda.webhook.memoryMb} MB`],
    [
      'Lambda billed duration, enqueue',
      `${enqueueBilled.toFixed(1)} ms`,
      `mean of ${tickets.enqueueMs.length} invocations one at a time, each rounded up to 1 ms (p50 ${ms(median(tickets.enqueueMs))} ms); ${lambda.enqueue.memoryMb} MB`,
    ],
    ...cost.lines.map((line) => [`$/1M posts: ${line.item}`, `$${line.usd.toFixed(3)}`, `${quantity(line.quantity)} ${line.unit} × ${unitPrice(line)}`]),
    [
      `$/1M posts: total (${percent(G7.issueShare)} issues, arm64)`,
      `$${cost.totalUsd.toFixed(2)}`,
      `G7 <= $${G7.targetUsd.toFixed(2)}: ${verdict.met ? 'yes' : 'NO'}; stretch <= $${G7.stretchUsd.toFixed(2)}: ${verdict.stretchMet ? 'yes' : 'NO'}`,
    ],
  ];

  const dominant = [...cost.lines].sort((a, b) => b.usd - a.usd).slice(0, 3);
  return {
    id: 'tickets-and-cost',
    title: 'Tickets and cost per post: counted on the local stack, priced for AWS (goal G7)',
    columns: [
      { header: 'measure', align: 'left' },
      { header: 'value', align: 'right' },
      { header: 'detail', align: 'left' },
    ],
    rows,
    notes: [
      `At a glance: ${ticketsPerSecond.toFixed(0)} tickets/s on the local stack on this ${cpus().length}-core machine, everything in one process`,
      '(dynalite and each function in a thread of it): not an AWS figure, where each function scales out on its own.',
      'Per-post counts are exact; durations and tickets/s are timings on a shared machine and vary from run to run.',
      '',
      `Counts: ${mix.posts} posts of the bench corpus, each from its own author; then the same texts again, new ids and authors, split`,
      'by where the classifier routed them (issue posts, other posts); then a follow-up from each issue author within the',
      'follow-up window; then the other texts as replies (`inReplyTo`), from new authors and then from issue authors, who have',
      "a ticket to join. Sent with `redress send --platform generic` (one post a request) to a local stack whose DynamoDB is",
      'bench/capacity-proxy.ts in front of dynalite. The proxy asks for ReturnConsumedCapacity ("dynalite reports") and counts',
      'what DynamoDB on-demand bills, which dynalite leaves out: global secondary index writes (a ticket item is in both',
      'indexes; a write costs an index write when it changes what that index projects: queue-due the ticket\'s fields,',
      'deadline its keys), writes whose condition failed (the existing item\'s size, 1 WRU at',
      'least), and string sizes in UTF-8 bytes. "dedupe" is the webhook\'s DEDUPE# records, "tickets" every other item',
      "(POSTREF#, AUTHOR#, TICKET#: ticket, post, history). The SLA monitor's schedule is off while counting: its reads cost",
      'per minute, not per post. Events: the bus archive by detail-type, sized as PutEvents entries. Logs: every line the',
      'handlers wrote at Powertools INFO with EMF metrics on, as deployed.',
      `Tickets/s: ${load.posts} issue posts, each from its own author, to a stack in memory as in the latency rows; from the first`,
      'request to the bus drained (the drain is timed from `redress send` returning, so the window holds its exit too).',
      '',
      `Cost per million posts: us-east-1, arm64, ${percent(G7.issueShare)} issues (G7, perf-reliability.md §6), the list prices of §3.1`,
      '(bench/cost-model.ts), no free tier. It assumes:',
      '- one webhook request per post, each under 512 KB (Meta batches would cut the API Gateway and webhook lines);',
      `- every issue opens a ticket (were every issue a follow-up: $${followUpTotal.toFixed(2)}); no retries, no duplicate deliveries;`,
      `- every other post is a post, not a reply: a reply or direct message is handed on for its author's open ticket even when it is`,
      `  no issue (were every other post such a reply with no ticket to join: $${everyOtherAReplyTotal.toFixed(2)});`,
      `- Lambda durations from this machine: the webhook's ${webhookSource}, which includes the local`,
      "  HTTP hop; the enqueue handler's mean, invoked directly. Both call DynamoDB and EventBridge on loopback; in AWS each",
      `  call is a network round trip and a ${lambda.enqueue.memoryMb}-${lambda.webhook.memoryMb} MB function gets a fraction of a core. With §3.2's ${WORKED_EXAMPLE_MS.webhook} and ${WORKED_EXAMPLE_MS.enqueue} ms: $${workedDurations.toFixed(2)}.`,
      '  No INIT duration (billed since 2025-08-01, but cold starts are rare at a steady rate);',
      `- index writes billed on the item's size; were DynamoDB's 100-byte index-entry overhead billed too: $${indexOverheadTotal.toFixed(2)};`,
      "- logs: the bytes of the handlers' lines; function names, ARNs and trace ids are longer in AWS than here, and Lambda's",
      '  START/END/REPORT lines are not ingested (system log level WARN, infra/constructs/redress-function.ts);',
      '- EventBridge bills each custom event per 64 KB chunk; delivery to a Lambda target in the same account is free.',
      `Largest lines: ${dominant.map((line) => `${line.item} $${line.usd.toFixed(2)}`).join(', ')}.`,
      ...(deadLetters > 0 ? [`WARNING: ${deadLetters} event(s) were dead-lettered during the runs; the counts above include their retries.`] : []),
      ...(capacity.otherOutput.length > 0 ? [`WARNING: the handlers wrote ${capacity.otherOutput.length} line(s) that are not JSON logs (first: ${capacity.otherOutput[0]}).`] : []),
    ],
    data: {
      prices: US_EAST_1_PRICES,
      g7: G7,
      issueShareOfCorpus: mix.routed / mix.posts,
      profiles,
      lambda: { ...lambda, webhookSource, webhookP50Ms: webhookP50, enqueueMs: tickets.enqueueMs },
      cost: cost satisfies CostEstimate,
      verdict,
      variants: { workedExampleDurations: workedDurations, indexEntryOverhead: indexOverheadTotal, everyIssueAFollowUp: followUpTotal, everyOtherPostAReply: everyOtherAReplyTotal },
      ticketsPerSecond,
      load,
      unloadedWebhook: tickets.unloadedWebhook,
      batches: capacity.batches,
    },
  };
}

/** $1.00/M for what is priced per million, $/GB-s and $/GB as they are. */
function unitPrice(line: CostLine): string {
  if (line.unit === 'GB-s' || line.unit === 'GB') return `$${line.unitPrice}/${line.unit}`;
  const perMillion = line.unitPrice * 1e6;
  return `$${perMillion.toFixed(perMillion < 1 ? 3 : 2)}/M`;
}

function quantity(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (value >= 1e3) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(2);
}

const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
const fixed = (value: number, digits = 2) => value.toFixed(digits);
const percent = (share: number) => `${Number.isInteger(share * 100) ? share * 100 : (share * 100).toFixed(1)}%`;
const seconds = (valueMs: number) => `${(valueMs / 1000).toFixed(2)} s`;
const ms = (value: number) => (Number.isNaN(value) ? '-' : value < 10 ? value.toFixed(1) : value.toFixed(0));
