import type { PlatformName } from './deliveries.ts';
import type { RequestOutcome } from './load.ts';

export interface LatencyStats {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** What the webhook said it did, summed over the 2xx answers that say it (ours report counts). */
export interface ServerCounts {
  accepted: number;
  /**
   * Of `accepted`, the posts routed to no queue (`queues.none`): no issue, so no ticket. Unless
   * `ingest.publishNotIssues` is set, such a post is not handed on and leaves no dedupe record,
   * so every copy of it counts here again, not as a duplicate.
   */
  toNoQueue: number;
  duplicates: number;
  removals: number;
  ignored: number;
}

export interface SendSummary {
  platform: PlatformName;
  url: string;
  /** Posts read from the input and sent (each once, however many copies). */
  posts: number;
  /** Input lines not sent because they could not be read. */
  invalid: number;
  /** Requests made: deliveries × copies. */
  sent: number;
  /** Requests answered 2xx. */
  accepted: number;
  /** Requests answered otherwise, by status code. */
  rejected: Record<string, number>;
  /** Requests that got no answer, by error code (ECONNREFUSED, TIMEOUT, ...). */
  networkErrors: Record<string, number>;
  /** The first answer's `message` (or body) for each rejecting status: the reason, usually. */
  rejectionExamples: Record<string, string>;
  server: ServerCounts;
  /** Acknowledgement latency of every answered request, in ms; null when nothing was answered. */
  latencyMs: LatencyStats | null;
  durationMs: number;
  /** Only when sent at a fixed rate (`--rate`). */
  rate?: RateStats;
}

/**
 * A run at a fixed rate, in deliveries per second (the copies of one delivery count once: they are
 * due together). Achieved is deliveries over the time from the start until the last went out, plus
 * one interval: a schedule kept exactly gives the asked rate, and a sender that fell behind less.
 * `maxBehindMs` is the most any request went out after it was due, waiting for a free slot under
 * `--concurrency` or for this process; latency counts that wait. Near zero, the sender kept to the
 * schedule; above one interval, the client held requests back.
 */
export interface RateStats {
  askedPerSecond: number;
  achievedPerSecond: number;
  maxBehindMs: number;
}

/** Nearest-rank percentile: always a value that was observed. `sorted` must be ascending. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export function latencyStats(values: readonly number[]): LatencyStats | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted[sorted.length - 1]! };
}

/** Adds up request outcomes as they arrive; `summary()` can be read at any time (progress). */
export class Tally {
  sent = 0;
  accepted = 0;
  readonly rejected: Record<string, number> = {};
  readonly networkErrors: Record<string, number> = {};
  readonly rejectionExamples: Record<string, string> = {};
  readonly server: ServerCounts = { accepted: 0, toNoQueue: 0, duplicates: 0, removals: 0, ignored: 0 };
  readonly latencies: number[] = [];

  record(outcome: RequestOutcome): void {
    this.sent++;
    if (outcome.kind === 'network-error') {
      this.networkErrors[outcome.code] = (this.networkErrors[outcome.code] ?? 0) + 1;
      return;
    }
    this.latencies.push(outcome.ms);
    const status = String(outcome.status);
    if (outcome.status >= 200 && outcome.status < 300) {
      this.accepted++;
      this.countServer(outcome.body);
      return;
    }
    this.rejected[status] = (this.rejected[status] ?? 0) + 1;
    this.rejectionExamples[status] ??= reason(outcome.body);
  }

  get failed(): number {
    return this.sent - this.accepted;
  }

  summary(fields: Pick<SendSummary, 'platform' | 'url' | 'posts' | 'invalid' | 'durationMs' | 'rate'>): SendSummary {
    return {
      platform: fields.platform,
      url: fields.url,
      posts: fields.posts,
      invalid: fields.invalid,
      sent: this.sent,
      accepted: this.accepted,
      rejected: { ...this.rejected },
      networkErrors: { ...this.networkErrors },
      rejectionExamples: { ...this.rejectionExamples },
      server: { ...this.server },
      latencyMs: latencyStats(this.latencies),
      durationMs: fields.durationMs,
      ...(fields.rate === undefined ? {} : { rate: { ...fields.rate } }),
    };
  }

  private countServer(body: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return;
    }
    if (typeof parsed !== 'object' || parsed === null) return;
    for (const key of ['accepted', 'duplicates', 'removals', 'ignored'] as const) {
      const value = (parsed as Record<string, unknown>)[key];
      if (typeof value === 'number') this.server[key] += value;
    }
    const queues = (parsed as { queues?: unknown }).queues;
    const none = typeof queues === 'object' && queues !== null ? (queues as Record<string, unknown>).none : undefined;
    if (typeof none === 'number') this.server.toNoQueue += none;
  }
}

/** Our error bodies are `{"error", "message"}`; anything else is shown as it came, shortened. */
function reason(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message.slice(0, 300);
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return body.slice(0, 300) || '(empty body)';
}

/** Exit status: 0 only when something was sent, every request was answered 2xx and every line was read. */
export function exitCode(summary: SendSummary): 0 | 1 {
  return summary.sent > 0 && summary.accepted === summary.sent && summary.invalid === 0 ? 0 : 1;
}

export function formatSummary(summary: SendSummary): string {
  const count = (record: Record<string, number>) =>
    Object.entries(record)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, value]) => `${value}× ${key}`)
      .join(', ');
  const failed = summary.sent - summary.accepted;
  const rejectedTotal = Object.values(summary.rejected).reduce((sum, value) => sum + value, 0);
  const errorsTotal = Object.values(summary.networkErrors).reduce((sum, value) => sum + value, 0);
  const seconds = summary.durationMs / 1000;
  const latency = summary.latencyMs;
  const { server } = summary;
  const lines = [
    `redress send: ${summary.platform} → ${summary.url}`,
    `  posts        ${summary.posts}${summary.invalid ? ` (${summary.invalid} invalid line${summary.invalid === 1 ? '' : 's'} not sent)` : ''}`,
    `  sent         ${summary.sent} request${summary.sent === 1 ? '' : 's'} in ${seconds.toFixed(1)} s${seconds > 0 ? ` (${(summary.sent / seconds).toFixed(0)}/s)` : ''}`,
    ...(summary.rate ? [rateLine(summary.rate)] : []),
    `  accepted     ${summary.accepted} (2xx)`,
    `  rejected     ${rejectedTotal}${rejectedTotal ? `: ${count(summary.rejected)}` : ''}`,
    ...Object.entries(summary.rejectionExamples).map(([status, message]) => `                 ${status}: ${message}`),
    `  net errors   ${errorsTotal}${errorsTotal ? `: ${count(summary.networkErrors)}` : ''}`,
    `  invalid      ${summary.invalid}`,
  ];
  if (server.accepted + server.duplicates + server.removals + server.ignored > 0) {
    const toQueue = server.accepted - server.toNoQueue;
    const noQueue = server.toNoQueue ? `, ${server.toNoQueue} to no queue (no issue)` : '';
    lines.push(
      `  server said  ${toQueue} post${toQueue === 1 ? '' : 's'} accepted to a queue${noQueue}, ${server.duplicates} duplicates, ${server.ignored} ignored, ${server.removals} removals`,
    );
  }
  lines.push(
    latency
      ? `  latency ms   p50 ${ms(latency.p50)}  p95 ${ms(latency.p95)}  p99 ${ms(latency.p99)}  max ${ms(latency.max)}  (${summary.sent - errorsTotal} answered)`
      : '  latency ms   none answered',
  );
  if (failed === 0 && summary.invalid === 0 && summary.sent > 0) lines.push('  every request was answered 2xx');
  return `${lines.join('\n')}\n`;
}

const ms = (value: number) => (value < 10 ? value.toFixed(1) : value.toFixed(0));

function rateLine({ askedPerSecond, achievedPerSecond, maxBehindMs }: RateStats): string {
  const intervalMs = 1000 / askedPerSecond;
  const achieved = achievedPerSecond < 10 ? achievedPerSecond.toFixed(2) : achievedPerSecond.toFixed(1);
  const verdict = maxBehindMs > intervalMs ? ': requests waited on this side (all slots in flight, or a busy sender), counted in latency' : '';
  return `  rate         ${askedPerSecond}/s asked, ${achieved}/s achieved, at worst ${ms(maxBehindMs)} ms behind schedule${verdict}`;
}
