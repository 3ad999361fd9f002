// Sending an agent's reply at most once (shared/domain/replies/deliver-reply.ts), against an
// in-memory reply store that keeps the lease rules of shared/adapters/reply-store.ts.
// `npm run fuzz` raises FUZZ_RUNS to search harder.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SocialPost } from '#contracts/social-post';
import { InProgressError } from '#domain/errors';
import type { ReplyRecord } from '#domain/ports';
import { ATTEMPTS_PER_RUN, deliverReply, ReplyDeferredError, type ReplyClaim, type ReplySenderPort, type ReplyStore } from '#domain/replies/deliver-reply';
import { ReplyRejectedError, ReplyUnavailableError, type SentReply } from '#domain/replies/reply-errors';
import { aSocialPost } from '#test/support/builders';

const runs = { numRuns: Number(process.env.FUZZ_RUNS ?? 1000) };
// A run takes well under a millisecond; the room lets a raised FUZZ_RUNS finish.
const timeout = Math.max(30_000, runs.numRuns * 5);

const TICKET = 'tkt_0123456789abcdef';
const REPLY = 'rpl_1';
const NOW = new Date('2026-11-22T10:05:00.000Z');
/** As the DynamoDB store: longer than the reply function's timeout. */
const LEASE_MS = 60_000;
const TEXT = 'So sorry, Aiko. We have rebooked you on SK 89 tomorrow at 08:10; the boarding pass is in your email.';

const later = (ms: number) => new Date(NOW.getTime() + ms);
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

type Delivery = ReplyRecord['delivery'];
type Entry = { reply: ReplyRecord; token?: string; leaseUntil?: number };

/**
 * The ReplyStore contract in memory: a reply is claimed only from `pending`, under a lease with a
 * token; only the current token may finish it (the DynamoDB store's conditional writes); a
 * `sending` reply whose lease ran out before `now` is reported abandoned. Each call yields once
 * before acting, then acts atomically, so concurrent runs interleave as they would on DynamoDB.
 */
class InMemoryReplyStore implements ReplyStore {
  private readonly replies = new Map<string, Entry>();
  private readonly posts = new Map<string, SocialPost>();
  private tokens = 0;
  /** Every delivery state each reply went through, in order. */
  readonly history = new Map<string, Delivery[]>();

  addReply(post: SocialPost | null, overrides: Partial<ReplyRecord> = {}): ReplyRecord {
    const reply: ReplyRecord = {
      replyId: REPLY,
      ticketId: TICKET,
      text: TEXT,
      agent: { kind: 'agent', id: 'agent-7', name: 'Robin' },
      replyTo: { platform: post?.platform ?? 'x', postId: post?.id ?? '1860000000000000001' },
      createdAt: NOW.toISOString(),
      delivery: { status: 'pending', attempts: 0 },
      ...overrides,
    };
    if (post) this.posts.set(this.postKey(reply.ticketId, post.platform, post.id), post);
    this.replies.set(this.key(reply.ticketId, reply.replyId), { reply });
    this.remember(reply);
    return reply;
  }

  delivery(ticketId = TICKET, replyId = REPLY): Delivery | undefined {
    return structuredClone(this.replies.get(this.key(ticketId, replyId))?.reply.delivery);
  }

  async find(ticketId: string, replyId: string): Promise<{ reply: ReplyRecord; post: SocialPost } | null> {
    await tick();
    const entry = this.replies.get(this.key(ticketId, replyId));
    const post = entry && this.posts.get(this.postKey(ticketId, entry.reply.replyTo.platform, entry.reply.replyTo.postId));
    return entry && post ? { reply: structuredClone(entry.reply), post: structuredClone(post) } : null;
  }

  async claim(ticketId: string, replyId: string, now: Date): Promise<ReplyClaim> {
    await tick();
    const entry = this.replies.get(this.key(ticketId, replyId));
    if (!entry) return { outcome: 'busy' };
    const { delivery } = entry.reply;
    if (delivery.status === 'pending') {
      const token = `lease-${++this.tokens}`;
      Object.assign(entry, { token, leaseUntil: now.getTime() + LEASE_MS });
      this.update(entry, { ...delivery, status: 'sending', attempts: delivery.attempts + 1 });
      return { outcome: 'claimed', token, attempt: delivery.attempts + 1 };
    }
    if (delivery.status === 'sent' || delivery.status === 'failed') return { outcome: 'done', reply: structuredClone(entry.reply) };
    if (entry.token && (entry.leaseUntil ?? 0) < now.getTime()) return { outcome: 'abandoned', token: entry.token };
    return { outcome: 'busy' };
  }

  async recordSent(ticketId: string, replyId: string, token: string, platformId: string, now: Date): Promise<void> {
    await this.finish(ticketId, replyId, token, { status: 'sent', platformId, at: now.toISOString() });
  }

  async recordFailed(ticketId: string, replyId: string, token: string, reason: string, now: Date): Promise<void> {
    await this.finish(ticketId, replyId, token, { status: 'failed', reason, at: now.toISOString() });
  }

  async release(ticketId: string, replyId: string, token: string, reason: string, now: Date): Promise<void> {
    await this.finish(ticketId, replyId, token, { status: 'pending', reason, at: now.toISOString() });
  }

  private async finish(ticketId: string, replyId: string, token: string, outcome: Partial<Delivery>): Promise<void> {
    await tick();
    const entry = this.replies.get(this.key(ticketId, replyId));
    if (!entry || entry.token !== token) throw new Error(`reply ${replyId}: the lease was lost before its outcome (${outcome.status}) could be recorded`);
    delete entry.token;
    delete entry.leaseUntil;
    this.update(entry, { ...entry.reply.delivery, ...outcome });
  }

  private update(entry: Entry, delivery: Delivery): void {
    entry.reply.delivery = delivery;
    this.remember(entry.reply);
  }

  private remember(reply: ReplyRecord): void {
    const key = this.key(reply.ticketId, reply.replyId);
    this.history.set(key, [...(this.history.get(key) ?? []), structuredClone(reply.delivery)]);
  }

  private key(ticketId: string, replyId: string): string {
    return `${ticketId}/${replyId}`;
  }

  private postKey(ticketId: string, platform: string, postId: string): string {
    return `${ticketId}/${platform}/${postId}`;
  }
}

/** A sender that plays `script` in order (a reply id, or an error to throw), then succeeds; it records every call. */
class ScriptedSender implements ReplySenderPort {
  readonly calls: Array<{ post: SocialPost; text: string; answer: SentReply | Error }> = [];
  /** Held until opened, when set: a call the platform is slow to answer. */
  gate: Promise<void> | undefined;

  constructor(private readonly script: Array<SentReply | Error> = []) {}

  async send(post: SocialPost, text: string): Promise<SentReply> {
    const answer = this.script.shift() ?? { platformId: `18600000000000009${String(this.calls.length).padStart(2, '0')}` };
    this.calls.push({ post, text, answer });
    await (this.gate ?? tick());
    if (answer instanceof Error) throw answer;
    return answer;
  }
}

const unavailable = (message: string, retryAfterSeconds?: number) => new ReplyUnavailableError(message, false, retryAfterSeconds);

function setup(script: Array<SentReply | Error> = [], post: SocialPost | null = aSocialPost({ platform: 'x', kind: 'mention', id: '1860000000000000001', source: undefined })) {
  const replies = new InMemoryReplyStore();
  replies.addReply(post);
  const sender = new ScriptedSender(script);
  const sleeps: number[] = [];
  const ports = (now = NOW) => ({ replies, sender, now: () => now, sleep: async (ms: number) => void sleeps.push(ms) });
  const run = (now = NOW) => deliverReply({ ticketId: TICKET, replyId: REPLY }, ports(now));
  return { replies, sender, sleeps, post, run };
}

describe('delivering a reply', () => {
  it('sends a pending reply once, under the customer post, and records the id the platform gave it', async () => {
    const { replies, sender, sleeps, post, run } = setup([{ platformId: '1860000000000000777' }]);

    await expect(run()).resolves.toEqual({ outcome: 'sent', platformId: '1860000000000000777' });

    expect(sender.calls.map(({ post: to, text }) => ({ to, text }))).toEqual([{ to: post, text: TEXT }]);
    expect(replies.delivery()).toEqual({ status: 'sent', attempts: 1, platformId: '1860000000000000777', at: NOW.toISOString() });
    expect(sleeps).toEqual([]);
  });

  it('does nothing for a reply sent before: a second run is already_done and sends nothing', async () => {
    const { sender, run } = setup();
    await run();

    await expect(run(later(5_000))).resolves.toEqual({ outcome: 'already_done', status: 'sent' });
    await expect(run(later(LEASE_MS * 10))).resolves.toEqual({ outcome: 'already_done', status: 'sent' });
    expect(sender.calls).toHaveLength(1);
  });

  it('sends once when two runs take the same reply at the same moment', async () => {
    const { replies, sender, run } = setup();

    const outcomes = await Promise.all([run(), run()]);

    expect(outcomes.map((outcome) => outcome.outcome).sort()).toEqual(['in_progress', 'sent']);
    expect(sender.calls).toHaveLength(1);
    expect(replies.delivery()).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('tells a run that finds the reply being sent that it is in progress, and lets the sender finish', async () => {
    const { replies, sender, run } = setup();
    let open!: () => void;
    sender.gate = new Promise<void>((resolve) => (open = resolve));

    const first = run();
    while (sender.calls.length === 0) await tick();
    await expect(run(later(30_000))).resolves.toEqual({ outcome: 'in_progress' });
    expect(replies.delivery()).toMatchObject({ status: 'sending' });
    open();

    await expect(first).resolves.toMatchObject({ outcome: 'sent' });
    expect(sender.calls).toHaveLength(1);
  });

  it('records a reply the platform refused as failed with its reason, and never tries it again', async () => {
    const refusal = 'X refused the reply (403): You are not permitted to reply to this conversation.';
    const { replies, sender, sleeps, run } = setup([new ReplyRejectedError(refusal)]);

    await expect(run()).resolves.toEqual({ outcome: 'failed', reason: refusal });

    expect(replies.delivery()).toEqual({ status: 'failed', attempts: 1, reason: refusal, at: NOW.toISOString() });
    expect(sleeps).toEqual([]);
    await expect(run(later(LEASE_MS * 2))).resolves.toEqual({ outcome: 'already_done', status: 'failed' });
    expect(sender.calls).toHaveLength(1);
  });
});

describe('a platform that cannot take the reply just now', () => {
  it('tries again after 1 s and then 4 s, and records the reply sent when the platform takes it', async () => {
    const { replies, sender, sleeps, run } = setup([unavailable('X answered 503: Service Unavailable'), unavailable('X answered 503: Service Unavailable'), { platformId: '1860000000000000778' }]);

    await expect(run()).resolves.toEqual({ outcome: 'sent', platformId: '1860000000000000778' });

    expect(sleeps).toEqual([1_000, 4_000]);
    expect(sender.calls).toHaveLength(3);
    expect(replies.delivery()).toMatchObject({ status: 'sent', attempts: 1, platformId: '1860000000000000778' });
  });

  it.each([0, 7, 10])('waits the %i s the platform asked for (Retry-After) before trying again', async (seconds) => {
    const { sender, sleeps, run } = setup([unavailable('X answered 429: Too Many Requests', seconds)]);

    await expect(run()).resolves.toMatchObject({ outcome: 'sent' });

    expect(sleeps).toEqual([seconds * 1000]);
    expect(sender.calls).toHaveLength(2);
  });

  it(`puts the reply back to pending with the last reason after ${ATTEMPTS_PER_RUN} failed attempts, and a later run sends it`, async () => {
    const { replies, sender, sleeps, run } = setup([unavailable('X answered 503: first'), unavailable('X answered 503: second'), unavailable('X could not be reached (ECONNREFUSED)')]);

    const deferred = await run().catch((error: unknown) => error);

    expect(deferred).toBeInstanceOf(ReplyDeferredError);
    expect((deferred as Error).message).toBe(`reply ${REPLY} not sent yet: X could not be reached (ECONNREFUSED)`);
    expect(sleeps).toEqual([1_000, 4_000]);
    expect(sender.calls).toHaveLength(ATTEMPTS_PER_RUN);
    expect(replies.delivery()).toEqual({ status: 'pending', attempts: 1, reason: 'X could not be reached (ECONNREFUSED)', at: NOW.toISOString() });

    await expect(run(later(60_000))).resolves.toMatchObject({ outcome: 'sent' });
    expect(sender.calls).toHaveLength(ATTEMPTS_PER_RUN + 1);
    expect(replies.delivery()).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('does not wait for a Retry-After above 10 s: the reply goes back to pending at once, for the bus to retry', async () => {
    const { replies, sender, sleeps, run } = setup([unavailable('X answered 429: Too Many Requests', 11)]);

    await expect(run()).rejects.toBeInstanceOf(ReplyDeferredError);

    expect(sleeps).toEqual([]);
    expect(sender.calls).toHaveLength(1);
    expect(replies.delivery()).toMatchObject({ status: 'pending', reason: 'X answered 429: Too Many Requests' });
  });

  it('records a call that may have reached the platform as failed, says to check there, and never tries again', async () => {
    const { replies, sender, sleeps, run } = setup([new ReplyUnavailableError('X could not be reached (no answer in 10000 ms)', true)]);

    const outcome = await run();

    expect(outcome).toEqual({ outcome: 'failed', reason: expect.stringContaining('X could not be reached (no answer in 10000 ms)') });
    if (outcome.outcome !== 'failed') throw new Error(outcome.outcome);
    expect(outcome.reason).toContain('check there before sending it again');
    expect(replies.delivery()).toMatchObject({ status: 'failed', attempts: 1, reason: outcome.reason });
    expect(sleeps).toEqual([]);
    await expect(run(later(LEASE_MS * 2))).resolves.toEqual({ outcome: 'already_done', status: 'failed' });
    expect(sender.calls).toHaveLength(1);
  });

  it('records a maybe-delivered call as failed even after earlier attempts were plainly refused for now', async () => {
    const { replies, sender, sleeps, run } = setup([unavailable('Facebook answered 503'), new ReplyUnavailableError('Facebook answered 500', true)]);

    await expect(run()).resolves.toMatchObject({ outcome: 'failed' });

    expect(sleeps).toEqual([1_000]);
    expect(sender.calls).toHaveLength(2);
    expect(replies.delivery()).toMatchObject({ status: 'failed', reason: expect.stringContaining('Facebook answered 500') });
  });
});

describe('runs that go wrong', () => {
  it('records a reply whose runner stopped mid-call as failed, without calling the platform again', async () => {
    const { replies, sender, run } = setup();
    const dead = await replies.claim(TICKET, REPLY, NOW);
    expect(dead.outcome).toBe('claimed');

    await expect(run(later(LEASE_MS - 1))).resolves.toEqual({ outcome: 'in_progress' });
    const outcome = await run(later(LEASE_MS + 1));

    expect(outcome).toEqual({ outcome: 'failed', reason: expect.stringContaining('check there before sending it again') });
    expect(sender.calls).toEqual([]);
    expect(replies.delivery()).toMatchObject({ status: 'failed', attempts: 1, at: later(LEASE_MS + 1).toISOString() });
  });

  it('asks to be retried (InProgressError) while the reply is not stored yet, and sends nothing', async () => {
    const { sender } = setup();
    const empty = new InMemoryReplyStore();

    await expect(deliverReply({ ticketId: TICKET, replyId: 'rpl_not_yet' }, { replies: empty, sender, now: () => NOW })).rejects.toBeInstanceOf(InProgressError);
    expect(sender.calls).toEqual([]);
  });

  it('asks to be retried (InProgressError) while the post the reply answers is not stored, and leaves the reply pending', async () => {
    const { replies, sender, run } = setup([], null);

    await expect(run()).rejects.toBeInstanceOf(InProgressError);
    expect(sender.calls).toEqual([]);
    expect(replies.delivery()).toEqual({ status: 'pending', attempts: 0 });
  });

  it('puts the reply back to pending and rethrows when the sender fails unexpectedly', async () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'xAccessToken')");
    const { replies, sender, sleeps, run } = setup([bug]);

    await expect(run()).rejects.toBe(bug);

    expect(replies.delivery()).toMatchObject({ status: 'pending', attempts: 1, reason: `unexpected: ${bug.message}` });
    expect(sleeps).toEqual([]);
    await expect(run()).resolves.toMatchObject({ outcome: 'sent' });
    expect(sender.calls).toHaveLength(2);
  });

  // A store failure after the platform took the reply must not put it back to pending, or the
  // next run would post it a second time.
  it('never sends a reply again that the platform took, even when recording that fails', async () => {
    const { replies, sender, run } = setup();
    const recordSent = replies.recordSent.bind(replies);
    let failures = 1;
    replies.recordSent = async (...args) => {
      if (failures-- > 0) throw new Error('ProvisionedThroughputExceededException: the level of configured provisioned throughput was exceeded');
      return recordSent(...args);
    };

    await run().catch(() => undefined);
    for (const at of [later(1_000), later(LEASE_MS + 1), later(LEASE_MS * 3)]) await run(at).catch(() => undefined);

    expect(sender.calls).toHaveLength(1);
    expect(replies.delivery()?.status).not.toBe('pending');
  });
});

describe('at most once, whatever the platform answers', () => {
  type Answer = { kind: 'success' } | { kind: 'rejected' } | { kind: 'unavailable'; maybeDelivered: boolean; retryAfterSeconds: number | undefined };

  const answer: fc.Arbitrary<Answer> = fc.oneof(
    fc.constant({ kind: 'success' as const }),
    fc.constant({ kind: 'rejected' as const }),
    fc.record({
      kind: fc.constant('unavailable' as const),
      maybeDelivered: fc.boolean(),
      retryAfterSeconds: fc.option(fc.oneof(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 11, max: 3_600 })), { nil: undefined }),
    }),
  );

  /** Runs of the reply function: each `true` starts alongside the run before it. */
  const schedule = fc.array(fc.boolean(), { minLength: 1, maxLength: 5 });

  it(
    'calls the platform successfully at most once, never after a call that may have reached it, and never changes a sent or failed reply',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(answer, { maxLength: 12 }), schedule, async (answers, alongside) => {
          const script = answers.map((planned, index): SentReply | Error => {
            if (planned.kind === 'success') return { platformId: `18600000000000001${String(index).padStart(2, '0')}` };
            if (planned.kind === 'rejected') return new ReplyRejectedError('X refused the reply (403): not permitted');
            return new ReplyUnavailableError(`X answered ${planned.maybeDelivered ? 500 : 503}`, planned.maybeDelivered, planned.retryAfterSeconds);
          });
          const { replies, sender, sleeps, run } = setup(script);

          const waves = alongside.reduce<number[]>((sizes, withPrevious, index) => (index > 0 && withPrevious ? [...sizes.slice(0, -1), sizes.at(-1)! + 1] : [...sizes, 1]), []);
          const settled: Array<PromiseSettledResult<unknown>> = [];
          for (const [wave, size] of waves.entries()) {
            // Each wave a few seconds after the last: well inside the lease, as the bus retries are.
            settled.push(...(await Promise.allSettled(Array.from({ length: size }, () => run(later(wave * 5_000))))));
          }

          const reached = sender.calls.filter(({ answer: given }) => !(given instanceof Error) || (given instanceof ReplyUnavailableError && given.maybeDelivered));
          const final = sender.calls.filter(({ answer: given }) => !(given instanceof ReplyUnavailableError && !given.maybeDelivered));
          expect(sender.calls.filter(({ answer: given }) => !(given instanceof Error)).length).toBeLessThanOrEqual(1);
          expect(reached.length).toBeLessThanOrEqual(1);
          // A call that succeeded, was refused, or may have reached the platform is the last one ever made.
          expect(final.length).toBeLessThanOrEqual(1);
          if (final.length === 1) expect(sender.calls.at(-1)).toBe(final[0]);

          const history = replies.history.get(`${TICKET}/${REPLY}`)!;
          const firstDone = history.findIndex((delivery) => delivery.status === 'sent' || delivery.status === 'failed');
          if (firstDone >= 0) for (const delivery of history.slice(firstDone)) expect(delivery).toEqual(history[firstDone]);

          const delivery = replies.delivery()!;
          expect(delivery.status).not.toBe('sending');
          const sent = sender.calls.find(({ answer: given }) => !(given instanceof Error));
          if (sent) expect(delivery).toMatchObject({ status: 'sent', platformId: (sent.answer as SentReply).platformId });
          else if (final.length === 1) expect(delivery.status).toBe('failed');
          else expect(delivery.status).toBe('pending');

          for (const result of settled) {
            if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(ReplyDeferredError);
          }
          for (const ms of sleeps) expect(ms).toBeLessThanOrEqual(10_000);
        }),
        runs,
      );
    },
    timeout,
  );
});
