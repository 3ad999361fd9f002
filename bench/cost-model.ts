/**
 * What a million social posts cost on AWS (goal G7, ../shared/research/perf-reliability.md §6):
 * the variable bill only, from what one issue post and one other post use (requests, durations,
 * events, capacity units, log bytes) and list prices. A pure function, so the worked example in
 * §3.2 checks it (test/unit/bench/cost-model.test.ts) and the bench feeds it measured figures.
 */

/**
 * us-east-1 list prices, as gathered in ../shared/research/perf-reliability.md §3.1 (sources
 * and dates there). No free tier is taken off.
 */
export const US_EAST_1_PRICES = {
  /** API Gateway HTTP API, per request up to 512 KB, first 300M a month (aws.amazon.com/api-gateway/pricing; learnaws.org, 2021-01-10). */
  httpApiRequest: 1.0 / 1e6,
  /** Lambda requests (aws.amazon.com/lambda/pricing, read 2026-09-20). */
  lambdaRequest: 0.2 / 1e6,
  /** Lambda duration on arm64, per GB-second, first 7.5B GB-s a month (aws.amazon.com/lambda/pricing, read 2026-09-20; cloudchipr.com, 2024). */
  lambdaGbSecond: 0.0000133334,
  /** EventBridge custom events, per 64 KB chunk published; delivery to a same-account target is free (aws.amazon.com/eventbridge/pricing; cloudburn.io, 2026-03-13). */
  eventBridgeEvent: 1.0 / 1e6,
  /** DynamoDB on-demand write and read request units, after the cut of 2024-11-01 (airbyte.com, 2025-07-21; jusdb.com, 2025-08-19). */
  dynamoDbWru: 0.625 / 1e6,
  dynamoDbRru: 0.125 / 1e6,
  /** CloudWatch Logs ingestion, per GB (factualminds.com, 2026-06-13). */
  logsIngestionGb: 0.5,
} as const;

export type Prices = { readonly [item in keyof typeof US_EAST_1_PRICES]: number };

/** Goal G7: variable cost per million posts, us-east-1, arm64, 30% issues. */
export const G7 = { issueShare: 0.3, targetUsd: 5.0, stretchUsd: 3.5 } as const;

/** What one post of a kind uses, averaged over posts of that kind. */
export interface PostProfile {
  /** Webhook requests (API Gateway requests and webhook invocations): 1 when each post is its own delivery. */
  webhookRequests: number;
  enqueueInvocations: number;
  /** EventBridge events billed (64 KB chunks), by detail-type. */
  events: Readonly<Record<string, number>>;
  /** DynamoDB write and read request units: the webhook's dedupe records, and the ticket work. */
  wru: { webhook: number; tickets: number };
  rru: { webhook: number; tickets: number };
  /** Bytes of log lines ingested, every function together. */
  logBytes: number;
}

export interface LambdaUse {
  memoryMb: number;
  /** Billed duration per invocation (Lambda bills in 1 ms steps). */
  billedMs: number;
}

export interface CostInputs {
  /** Share of posts that are issues (become ticket work). */
  issueShare: number;
  issue: PostProfile;
  notIssue: PostProfile;
  webhook: LambdaUse;
  enqueue: LambdaUse;
  prices?: Prices;
}

export interface CostLine {
  item: string;
  /** Units per million posts. */
  quantity: number;
  unit: string;
  /** US dollars per unit. */
  unitPrice: number;
  /** US dollars per million posts. */
  usd: number;
}

export interface CostEstimate {
  lines: CostLine[];
  totalUsd: number;
}

const POSTS = 1e6;
/** CloudWatch bills binary gigabytes: §3.2's 1 KB per invocation over 1.3M invocations is $0.62. */
const GB = 1024 ** 3;

/** The cost of a million posts, one line per billed item, in the order of §3.2's table. */
export function costPerMillionPosts(inputs: CostInputs): CostEstimate {
  const prices = inputs.prices ?? US_EAST_1_PRICES;
  const share = inputs.issueShare;
  if (!(share >= 0 && share <= 1)) throw new RangeError(`issueShare must lie between 0 and 1, got ${share}`);
  const perMillion = (of: (profile: PostProfile) => number) => POSTS * (share * of(inputs.issue) + (1 - share) * of(inputs.notIssue));

  const webhookRequests = perMillion((profile) => profile.webhookRequests);
  const enqueueInvocations = perMillion((profile) => profile.enqueueInvocations);
  const gbSeconds = (invocations: number, use: LambdaUse) => invocations * (use.billedMs / 1000) * (use.memoryMb / 1024);
  const detailTypes = [...new Set([...Object.keys(inputs.issue.events), ...Object.keys(inputs.notIssue.events)])];
  const line = (item: string, quantity: number, unit: string, price: number): CostLine => ({ item, quantity, unit, unitPrice: price, usd: quantity * price });

  const lines = [
    line('API Gateway HTTP API', webhookRequests, 'requests', prices.httpApiRequest),
    line('Lambda webhook: requests', webhookRequests, 'requests', prices.lambdaRequest),
    line('Lambda webhook: duration', gbSeconds(webhookRequests, inputs.webhook), 'GB-s', prices.lambdaGbSecond),
    ...detailTypes.map((type) => line(`EventBridge: ${type}`, perMillion((profile) => profile.events[type] ?? 0), 'events', prices.eventBridgeEvent)),
    line('Lambda enqueue: requests', enqueueInvocations, 'requests', prices.lambdaRequest),
    line('Lambda enqueue: duration', gbSeconds(enqueueInvocations, inputs.enqueue), 'GB-s', prices.lambdaGbSecond),
    line('DynamoDB: webhook dedupe writes', perMillion((profile) => profile.wru.webhook), 'WRU', prices.dynamoDbWru),
    line('DynamoDB: ticket writes', perMillion((profile) => profile.wru.tickets), 'WRU', prices.dynamoDbWru),
    line('DynamoDB: reads', perMillion((profile) => profile.rru.webhook + profile.rru.tickets), 'RRU', prices.dynamoDbRru),
    line('CloudWatch Logs ingestion', perMillion((profile) => profile.logBytes) / GB, 'GB', prices.logsIngestionGb),
  ];
  return { lines, totalUsd: lines.reduce((sum, { usd }) => sum + usd, 0) };
}

/** Whether a total meets G7, and its stretch goal. */
export function g7Verdict(totalUsd: number): { met: boolean; stretchMet: boolean } {
  return { met: totalUsd <= G7.targetUsd, stretchMet: totalUsd <= G7.stretchUsd };
}
