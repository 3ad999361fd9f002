import { describe, expect, it } from 'vitest';
import { exitCode, formatSummary, latencyStats, percentile, Tally } from '../../../bin/send/summary.ts';

const fields = { platform: 'generic' as const, url: 'http://127.0.0.1:3000', posts: 3, invalid: 0, durationMs: 1000 };

describe('latency percentiles', () => {
  it('uses the nearest rank, so every percentile is a latency that was observed', () => {
    const sorted = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 95)).toBe(95);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile([10, 20, 30], 50)).toBe(20);
    expect(percentile([10, 20, 30], 99)).toBe(30);
    expect(percentile([7], 1)).toBe(7);
  });

  it('sorts before ranking and reports the slowest request as max', () => {
    expect(latencyStats([300, 5, 12, 8, 9, 11, 10, 7, 6, 13])).toEqual({ p50: 9, p95: 300, p99: 300, max: 300 });
  });

  it('has no statistics when nothing was answered', () => {
    expect(latencyStats([])).toBeNull();
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('the summary of a send', () => {
  it('counts 2xx answers as accepted, other statuses by code with the first reason, and network errors by code', () => {
    const tally = new Tally();
    tally.record({ kind: 'response', status: 200, body: '{"accepted":1,"duplicates":0,"removals":0,"ignored":0,"queues":{"delays":1}}', ms: 12 });
    tally.record({ kind: 'response', status: 200, body: '{"accepted":0,"duplicates":1,"removals":0,"ignored":0,"queues":{}}', ms: 15 });
    tally.record({ kind: 'response', status: 401, body: '{"error":"unauthorized","message":"Standard Webhooks signature rejected: no webhook-signature entry matches"}', ms: 3 });
    tally.record({ kind: 'response', status: 401, body: '{"error":"unauthorized","message":"another reason"}', ms: 4 });
    tally.record({ kind: 'response', status: 502, body: 'Bad Gateway', ms: 30 });
    tally.record({ kind: 'network-error', code: 'ECONNRESET', ms: 1 });

    const summary = tally.summary(fields);
    expect(summary).toMatchObject({
      sent: 6,
      accepted: 2,
      rejected: { '401': 2, '502': 1 },
      networkErrors: { ECONNRESET: 1 },
      rejectionExamples: { '401': 'Standard Webhooks signature rejected: no webhook-signature entry matches', '502': 'Bad Gateway' },
      server: { accepted: 1, toNoQueue: 0, duplicates: 1, removals: 0, ignored: 0 },
      latencyMs: { p50: 12, max: 30 },
    });
    expect(exitCode(summary)).toBe(1);
  });

  it('exits 0 only when every request was answered 2xx and every line was read', () => {
    const tally = new Tally();
    tally.record({ kind: 'response', status: 200, body: '{}', ms: 5 });
    expect(exitCode(tally.summary(fields))).toBe(0);
    expect(exitCode(tally.summary({ ...fields, invalid: 1 }))).toBe(1);
    expect(exitCode(new Tally().summary({ ...fields, posts: 0 }))).toBe(1);
  });

  it('prints what a person checks first: sent, accepted, rejections with their reason, and the percentiles', () => {
    const tally = new Tally();
    for (let index = 0; index < 9; index++) tally.record({ kind: 'response', status: 200, body: '{"accepted":1}', ms: 10 + index });
    tally.record({ kind: 'response', status: 409, body: '{"error":"in_progress","message":"retry shortly"}', ms: 1000 });
    const text = formatSummary(tally.summary({ ...fields, posts: 10 }));
    expect(text).toContain('sent         10 requests in 1.0 s (10/s)');
    expect(text).toContain('accepted     9 (2xx)');
    expect(text).toContain('rejected     1: 1× 409');
    expect(text).toContain('409: retry shortly');
    expect(text).toContain('server said  9 posts accepted to a queue, 0 duplicates');
    expect(text).toContain('latency ms   p50 14  p95 1000  p99 1000  max 1000  (10 answered)');
  });

  it('tells posts accepted to a queue from posts the server routed to no queue, which it acknowledges again on every copy', () => {
    const tally = new Tally();
    // Three copies of a complaint and three of a thank-you: the complaint is handed on once, the
    // thank-you has nothing to hand on and leaves no dedupe record, so each copy is accepted anew.
    tally.record({ kind: 'response', status: 200, body: '{"accepted":1,"duplicates":0,"removals":0,"ignored":0,"queues":{"delays":1}}', ms: 5 });
    for (let copy = 0; copy < 2; copy++) tally.record({ kind: 'response', status: 200, body: '{"accepted":0,"duplicates":1,"removals":0,"ignored":0,"queues":{}}', ms: 5 });
    for (let copy = 0; copy < 3; copy++) tally.record({ kind: 'response', status: 200, body: '{"accepted":1,"duplicates":0,"removals":0,"ignored":0,"queues":{"none":1}}', ms: 5 });
    const summary = tally.summary(fields);
    expect(summary.server).toEqual({ accepted: 4, toNoQueue: 3, duplicates: 2, removals: 0, ignored: 0 });
    expect(formatSummary(summary)).toContain('server said  1 post accepted to a queue, 3 to no queue (no issue), 2 duplicates, 0 ignored, 0 removals');
  });

  it('reports, at a fixed rate, the rate asked, the rate achieved and how far behind schedule the sender fell at worst', () => {
    const tally = new Tally();
    for (let index = 0; index < 3; index++) tally.record({ kind: 'response', status: 200, body: '{"accepted":1}', ms: 5 });
    const summary = tally.summary({ ...fields, rate: { askedPerSecond: 100, achievedPerSecond: 99.87, maxBehindMs: 2.4 } });
    expect(summary.rate).toEqual({ askedPerSecond: 100, achievedPerSecond: 99.87, maxBehindMs: 2.4 });
    const text = formatSummary(summary);
    expect(text).toContain('  rate         100/s asked, 99.9/s achieved, at worst 2.4 ms behind schedule\n');
    expect(text.indexOf('  rate ')).toBeGreaterThan(text.indexOf('  sent '));
  });

  it('says that requests waited on the sending side when it fell more than one interval behind', () => {
    const summary = new Tally().summary({ ...fields, rate: { askedPerSecond: 0.5, achievedPerSecond: 0.4, maxBehindMs: 2500 } });
    expect(formatSummary(summary)).toContain('rate         0.5/s asked, 0.40/s achieved, at worst 2500 ms behind schedule: requests waited on this side');
  });

  it('has no rate in a closed-loop summary, text or JSON', () => {
    const summary = new Tally().summary(fields);
    expect(Object.keys(summary)).not.toContain('rate');
    expect(formatSummary(summary)).not.toContain('rate');
  });
});
