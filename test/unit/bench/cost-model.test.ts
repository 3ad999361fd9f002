import { describe, expect, it } from 'vitest';
import { costPerMillionPosts, g7Verdict, US_EAST_1_PRICES, type CostInputs, type PostProfile } from '../../../bench/cost-model.ts';

/**
 * The worked example of ../shared/research/perf-reliability.md §3.2: one webhook call per post,
 * arm64 at 256 MB, 50 ms webhook and 60 ms enqueue, 30% issues, 1 WRU of dedupe per post, 4 WRU
 * and 0.5 RRU per issue, one Post.Classified per post and one Ticket.* per issue, 1 KB of logs
 * per invocation.
 */
const notIssue: PostProfile = {
  webhookRequests: 1,
  enqueueInvocations: 0,
  events: { 'Post.Classified': 1 },
  wru: { webhook: 1, tickets: 0 },
  rru: { webhook: 0, tickets: 0 },
  logBytes: 1024,
};
const issue: PostProfile = {
  webhookRequests: 1,
  enqueueInvocations: 1,
  events: { 'Post.Classified': 1, 'Ticket.*': 1 },
  wru: { webhook: 1, tickets: 4 },
  rru: { webhook: 0, tickets: 0.5 },
  logBytes: 2 * 1024,
};
const worked: CostInputs = {
  issueShare: 0.3,
  issue,
  notIssue,
  webhook: { memoryMb: 256, billedMs: 50 },
  enqueue: { memoryMb: 256, billedMs: 60 },
};

const usdOf = (inputs: CostInputs) => Object.fromEntries(costPerMillionPosts(inputs).lines.map((line) => [line.item, line.usd]));

describe('the cost per million posts', () => {
  it("gives each line of §3.2's table for its assumptions", () => {
    const usd = usdOf(worked);
    expect(usd['API Gateway HTTP API']).toBeCloseTo(1.0, 3);
    expect(usd['Lambda webhook: requests']).toBeCloseTo(0.2, 3);
    expect(usd['Lambda webhook: duration']).toBeCloseTo(0.167, 3);
    expect(usd['EventBridge: Post.Classified']).toBeCloseTo(1.0, 3);
    expect(usd['EventBridge: Ticket.*']).toBeCloseTo(0.3, 3);
    expect(usd['Lambda enqueue: requests']).toBeCloseTo(0.06, 3);
    expect(usd['Lambda enqueue: duration']).toBeCloseTo(0.06, 3);
    expect(usd['DynamoDB: webhook dedupe writes']).toBeCloseTo(0.625, 3);
    expect(usd['DynamoDB: ticket writes']).toBeCloseTo(0.75, 3);
    expect(usd['DynamoDB: reads']).toBeCloseTo(0.019, 3);
    expect(usd['CloudWatch Logs ingestion']).toBeCloseTo(0.62, 3);
  });

  it('totals about $4.80, which meets G7 but not its stretch goal', () => {
    const { totalUsd } = costPerMillionPosts(worked);
    expect(totalUsd).toBeCloseTo(4.8, 2);
    expect(g7Verdict(totalUsd)).toEqual({ met: true, stretchMet: false });
  });

  it("reproduces §3.2's variants: x86_64 $4.86, idempotency's 2 WCU per call $5.43, every post an issue $7.91", () => {
    const x86 = costPerMillionPosts({ ...worked, prices: { ...US_EAST_1_PRICES, lambdaGbSecond: 0.0000166667 } }).totalUsd;
    expect(x86).toBeCloseTo(4.86, 2);
    const twoWcu = (profile: PostProfile) => ({ ...profile, wru: { ...profile.wru, webhook: 2 } });
    expect(costPerMillionPosts({ ...worked, issue: twoWcu(issue), notIssue: twoWcu(notIssue) }).totalUsd).toBeCloseTo(5.43, 2);
    const allIssues = costPerMillionPosts({ ...worked, issueShare: 1 }).totalUsd;
    expect(allIssues).toBeCloseTo(7.91, 2);
    expect(g7Verdict(allIssues).met).toBe(false);
  });

  it('states the quantity behind each line: requests, GB-seconds, events, units and gigabytes per million posts', () => {
    const byItem = Object.fromEntries(costPerMillionPosts(worked).lines.map((line) => [line.item, line]));
    expect(byItem['Lambda webhook: duration']).toMatchObject({ quantity: 12_500, unit: 'GB-s' });
    expect(byItem['Lambda enqueue: requests']).toMatchObject({ quantity: 300_000, unit: 'requests' });
    expect(byItem['DynamoDB: ticket writes']).toMatchObject({ quantity: 1_200_000, unit: 'WRU' });
    expect(byItem['CloudWatch Logs ingestion']!.quantity).toBeCloseTo((1.3e6 * 1024) / 1024 ** 3, 9);
  });

  it('charges nothing for an issue share of 0 beyond what every post costs, and refuses a share outside 0..1', () => {
    const usd = usdOf({ ...worked, issueShare: 0 });
    expect(usd['Lambda enqueue: requests']).toBe(0);
    expect(usd['EventBridge: Ticket.*']).toBe(0);
    expect(() => costPerMillionPosts({ ...worked, issueShare: 1.2 })).toThrow(RangeError);
  });
});
