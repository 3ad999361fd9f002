import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SocialPost } from '#contracts/social-post';
import { AuthenticationError, ValidationError } from '#domain/errors';
import type { ParsedDelivery } from '#platforms/webhook-platform';
import { signXBody } from '#platforms/x/signature';
import { xPlatform } from '#platforms/x/platform';
import { BRAND_ID, CONSUMER_SECRET, NOW, xFixture } from './fixtures.ts';

// `npm run fuzz` raises this to 100,000; the time allowed grows with it (the slowest property takes about 0.25 ms a run).
const runs = { numRuns: Number(process.env.FUZZ_RUNS ?? 1000) };
const timeout = Math.max(5_000, runs.numRuns * 2);

const FIXTURES = [
  'aaa-tweet-mention.json',
  'aaa-tweet-reply.json',
  'aaa-tweet-extended.json',
  'aaa-tweet-quote.json',
  'aaa-tweet-retweet.json',
  'aaa-tweet-own.json',
  'aaa-dm-received.json',
  'aaa-dm-echo.json',
  'aaa-tweet-delete.json',
  'aaa-favorite.json',
  'aaa-follow.json',
  'aaa-replay-job-status.json',
  'xaa-post-mention.json',
  'xaa-post-mention-wrapped-users.json',
  'xaa-dm-received.json',
  'xaa-post-delete.json',
  'fsw-post.json',
];

/** Parses, and holds the outcome to the interface: a ValidationError or a delivery of contract-valid posts. */
function parseOrReject(body: Buffer): ParsedDelivery | undefined {
  let delivery: ParsedDelivery;
  try {
    delivery = xPlatform.parse(body, NOW);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return undefined;
  }
  for (const { post, dedupeKey } of delivery.posts) {
    expect(SocialPost.safeParse(post).success).toBe(true);
    expect(post.platform).toBe('x');
    expect(dedupeKey).toBe(post.kind === 'direct_message' ? `x:dm:${post.id}` : `x:post:${post.id}`);
  }
  for (const removal of delivery.removals) expect(removal.dedupeKey).toBe(`x:post:${removal.postId}:removed`);
  return delivery;
}

/** Every path to a value inside a JSON document, so one can be replaced. */
function pathsOf(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((item, index) => pathsOf(item, [...prefix, index]))];
  if (value !== null && typeof value === 'object') return [prefix, ...Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...prefix, key]))];
  return [prefix];
}

function replaceAt(document: unknown, path: ReadonlyArray<string | number>, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  const copy = (Array.isArray(document) ? [...document] : { ...(document as object) }) as Record<string | number, unknown>;
  copy[head!] = replaceAt(copy[head!], rest, replacement);
  return copy;
}

const fixtureDocuments = FIXTURES.map((name) => JSON.parse(xFixture(name).toString('utf8')) as unknown);

/** Strings that stress the mapping: long, non-ASCII, entity-laden, empty. */
const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ maxLength: 12_000 }), fc.constantFrom('', '&amp;&lt;&gt;', 'caf\u00e9 \u{1F624}', '\u0000'));
const xId = fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }).map(String);
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });

const tweetArbitrary = fc.record(
  {
    id_str: xId,
    text,
    truncated: fc.boolean(),
    extended_tweet: maybe(fc.record({ full_text: text })),
    timestamp_ms: maybe(fc.integer({ min: 0, max: 4_102_444_800_000 }).map(String)),
    user: fc.record({ id_str: fc.oneof(xId, fc.constant(BRAND_ID)), screen_name: maybe(fc.string({ minLength: 1, maxLength: 30 })), name: maybe(text) }),
    in_reply_to_status_id_str: maybe(fc.oneof(xId, fc.constant(null))),
    quoted_status_id_str: maybe(xId),
    entities: maybe(fc.record({ user_mentions: fc.array(fc.record({ id_str: maybe(xId), screen_name: maybe(fc.string({ minLength: 1, maxLength: 20 })) }), { maxLength: 120 }) })),
    lang: maybe(fc.string({ maxLength: 40 })),
  },
  { requiredKeys: ['id_str', 'text', 'user'] },
);

const postV2Arbitrary = fc.record(
  {
    id: xId,
    text,
    created_at: maybe(fc.date({ min: new Date('2006-03-21T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString())),
    author_id: fc.oneof(xId, fc.constant(BRAND_ID)),
    conversation_id: maybe(xId),
    referenced_tweets: maybe(fc.array(fc.record({ type: fc.constantFrom('replied_to', 'quoted', 'retweeted', 'other'), id: xId }), { maxLength: 3 })),
    entities: maybe(fc.record({ mentions: fc.array(fc.record({ username: maybe(fc.string({ minLength: 1, maxLength: 20 })), id: maybe(xId) }), { maxLength: 5 }) })),
    lang: maybe(fc.string({ maxLength: 40 })),
  },
  { requiredKeys: ['id', 'text', 'author_id'] },
);

describe('X webhook properties', () => {
  it('parse throws nothing but ValidationError for arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        parseOrReject(Buffer.from(bytes));
      }),
      runs,
    );
  }, timeout);

  it('parse throws nothing but ValidationError for arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 6 }), (json) => {
        parseOrReject(Buffer.from(json));
      }),
      runs,
    );
  }, timeout);

  it('parse throws nothing but ValidationError for X objects with any one value replaced by arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.nat(FIXTURES.length - 1), fc.nat(), fc.jsonValue({ maxDepth: 3 }), (which, where, replacement) => {
        const document = fixtureDocuments[which];
        const paths = pathsOf(document);
        const mutated = replaceAt(document, paths[where % paths.length]!, replacement);
        parseOrReject(Buffer.from(JSON.stringify(mutated)));
      }),
      runs,
    );
  }, timeout);

  it('every post parse returns from Account Activity tweets satisfies SocialPost', () => {
    fc.assert(
      fc.property(fc.array(tweetArbitrary, { minLength: 1, maxLength: 5 }), (tweets) => {
        parseOrReject(Buffer.from(JSON.stringify({ for_user_id: BRAND_ID, tweet_create_events: tweets })));
      }),
      runs,
    );
  }, timeout);

  it('every post parse returns from X Activity and filtered-stream bodies satisfies SocialPost', () => {
    fc.assert(
      fc.property(postV2Arbitrary, fc.constantFrom('post.create', 'post.mention.create', 'post.reply.create', 'post.quote.create', 'fsw'), (payload, eventType) => {
        const body =
          eventType === 'fsw'
            ? { data: payload, matching_rules: [{ id: '1', tag: 'complaints' }] }
            : { data: { event_type: eventType, filter: { user_id: BRAND_ID }, payload, includes: { users: [{ id: payload.author_id, username: 'someone', name: 'Some One' }] } } };
        parseOrReject(Buffer.from(JSON.stringify(body)));
      }),
      runs,
    );
  }, timeout);

  it('verify never accepts a body changed in one byte', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 1024 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (bytes, position, flip) => {
        const body = Buffer.from(bytes);
        const headers = { 'x-twitter-webhooks-signature': signXBody(body, CONSUMER_SECRET) };
        xPlatform.verify(headers, body, { consumerSecrets: [CONSUMER_SECRET] }, NOW);
        const changed = Buffer.from(body);
        const index = position % changed.length;
        changed[index] = changed[index]! ^ flip;
        expect(() => xPlatform.verify(headers, changed, { consumerSecrets: [CONSUMER_SECRET] }, NOW)).toThrow(AuthenticationError);
      }),
      runs,
    );
  }, timeout);

  it('verify throws nothing but AuthenticationError, whatever the headers and secrets', () => {
    const signatureLike = fc.oneof(
      fc.string(),
      fc.base64String({ maxLength: 64 }).map((encoded) => `sha256=${encoded}`),
      fc.uint8Array({ minLength: 32, maxLength: 32 }).map((mac) => `sha256=${Buffer.from(mac).toString('base64')}`),
    );
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 40 }), fc.option(fc.string(), { nil: undefined })),
        fc.option(signatureLike, { nil: undefined }),
        fc.array(fc.string({ maxLength: 40 }), { maxLength: 3 }),
        fc.uint8Array({ maxLength: 256 }),
        (otherHeaders, signature, consumerSecrets, body) => {
          const headers = signature === undefined ? otherHeaders : { ...otherHeaders, 'x-twitter-webhooks-signature': signature };
          expect(() => xPlatform.verify(headers, Buffer.from(body), { consumerSecrets }, NOW)).toThrow(AuthenticationError);
        },
      ),
      runs,
    );
  }, timeout);

  it('the CRC never answers a token that is a JSON object or array, and never throws', () => {
    fc.assert(
      fc.property(fc.oneof(fc.object(), fc.array(fc.jsonValue())).map((value) => JSON.stringify(value)), (token) => {
        const answer = xPlatform.handshake!({ crc_token: token }, { consumerSecrets: [CONSUMER_SECRET] });
        expect(answer.statusCode).toBe(400);
        expect(answer.body).not.toContain('sha256=');
      }),
      runs,
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.option(fc.string(), { nil: undefined })), (query) => {
        const answer = xPlatform.handshake!(query, { consumerSecrets: [CONSUMER_SECRET] });
        expect([200, 400]).toContain(answer.statusCode);
      }),
      runs,
    );
  }, timeout);
});
