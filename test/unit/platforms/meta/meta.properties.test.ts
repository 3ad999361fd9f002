// Properties of the Meta webhook module that must hold for every input (../shared/specs/webhooks.md §2, §6).
// `npm run fuzz` raises FUZZ_RUNS to search harder.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Platform, SocialPost } from '#contracts/social-post';
import { AuthenticationError, ValidationError } from '#domain/errors';
import { metaPlatform } from '#platforms/meta/platform';
import { signMetaBody } from '#platforms/meta/signature';
import { INSTAGRAM_ACCOUNT_ID, PAGE_ID, escapedLikeMeta } from './meta-payloads.ts';

const RUNS = { numRuns: Number(process.env.FUZZ_RUNS ?? 1000) };
// About a millisecond per run with room to spare, so a raised FUZZ_RUNS is not cut off by the default 5 s.
const TIMEOUT = Math.max(30_000, RUNS.numRuns * 5);
const NOW = new Date('2026-11-22T10:10:00Z');
const APP_SECRET = '3f1c0b8e5a2d47c69e0f1a2b3c4d5e6f';
const secrets = { appSecrets: [APP_SECRET], verifyToken: 'token' };

/** Runs parse and returns what it threw, if anything. */
function parseOutcome(body: Buffer): { delivery?: ReturnType<typeof metaPlatform.parse>; error?: unknown } {
  try {
    return { delivery: metaPlatform.parse(body, NOW) };
  } catch (error) {
    return { error };
  }
}

// Values close to what Meta sends, mostly well-formed so the mappings are reached, and now and
// then anything at all in any field, so they are stressed.
type Any = fc.Arbitrary<unknown>;
const anyJson: Any = fc.jsonValue({ maxDepth: 2 });
const mostly = (good: Any, ...others: Any[]): Any =>
  fc.oneof({ arbitrary: good, weight: 20 }, ...others.map((arbitrary) => ({ arbitrary, weight: 1 })));
/** Left out one time in four; JSON.stringify drops the key. */
const maybe = (value: Any): Any => fc.option(value, { nil: undefined, freq: 4 });
const rarely = (value: Any): Any => fc.oneof({ arbitrary: fc.constant(undefined), weight: 8 }, { arbitrary: value, weight: 1 });

const id = mostly(
  fc.oneof(
    fc.constantFrom(PAGE_ID, INSTAGRAM_ACCOUNT_ID, `${PAGE_ID}_1043227624498172`, '1043227624498172_1261823348745061', 'm_AG5Hz2Uq7qDEXQ3sN4Xv2a1l'),
    fc.stringMatching(/^[0-9]{1,20}(_[0-9]{1,20})?$/),
    fc.nat(),
  ),
  fc.string({ maxLength: 300 }),
  fc.integer(),
  fc.constant(2 ** 60),
  fc.double(),
  anyJson,
);
const time = mostly(
  fc.oneof(fc.integer({ min: 946_684_800, max: 4_102_444_800 }), fc.integer({ min: 946_684_800_000, max: 4_102_444_800_000 })),
  fc.constantFrom('2026-11-22T10:01:30+0000', '1795341600', '2026-11-22T10:01:30', 8.64e15 + 1, -1, 0, 1e11, 253_402_300_800_000),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 40 }),
  anyJson,
);
const text = mostly(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  // Around SocialPost's 10,000-unit limit, with a surrogate pair across it.
  fc.integer({ min: 9_990, max: 10_010 }).map((length) => `${'é'.repeat(length)}😡`),
  anyJson,
);
const person = mostly(fc.record({ id, name: maybe(text), username: maybe(text) }), anyJson);
const feedValue = fc.record({
  item: mostly(fc.constantFrom('comment', 'status', 'post', 'photo', 'video', 'share'), fc.constantFrom('reaction', 'like', 'event'), anyJson),
  verb: mostly(fc.constantFrom('add', 'edited', 'remove'), fc.constantFrom('hide', 'edit'), anyJson),
  from: maybe(person),
  sender_id: rarely(id),
  sender_name: rarely(text),
  post_id: maybe(id),
  comment_id: maybe(id),
  parent_id: maybe(id),
  message: maybe(text),
  created_time: maybe(time),
  post: maybe(mostly(fc.record({ permalink_url: maybe(mostly(fc.webUrl(), fc.string(), anyJson)) }), anyJson)),
});
const instagramValue = fc.record({
  id: maybe(id),
  comment_id: maybe(id),
  media_id: maybe(id),
  parent_id: maybe(id),
  from: maybe(person),
  text: maybe(text),
  media: maybe(mostly(fc.record({ id: maybe(id) }), anyJson)),
});
const messagingItem = fc.record({
  sender: mostly(fc.record({ id }), anyJson),
  recipient: mostly(fc.record({ id }), anyJson),
  timestamp: maybe(time),
  message: maybe(
    mostly(
      fc.record({
        mid: id,
        text: maybe(text),
        is_echo: rarely(mostly(fc.boolean(), anyJson)),
        is_deleted: rarely(mostly(fc.boolean(), anyJson)),
        is_unsupported: rarely(mostly(fc.boolean(), anyJson)),
        reply_to: maybe(mostly(fc.record({ mid: maybe(id) }), anyJson)),
        attachments: maybe(mostly(fc.array(fc.record({ type: maybe(mostly(fc.constantFrom('image', 'video', 'file'), fc.string(), anyJson)) }), { maxLength: 3 }), anyJson)),
      }),
      anyJson,
    ),
  ),
  delivery: rarely(anyJson),
  read: rarely(anyJson),
});
const change = fc.oneof(
  fc.record({ field: fc.constant('feed'), value: feedValue }),
  fc.record({ field: fc.constantFrom('comments', 'live_comments', 'mentions'), value: instagramValue }),
  fc.record({ field: maybe(mostly(fc.constantFrom('feed', 'comments', 'ratings'), anyJson)), value: maybe(anyJson) }),
);
const items = (item: Any): Any => maybe(mostly(fc.array(item, { maxLength: 4 }), anyJson));
const entry = fc.record({
  id: mostly(fc.constantFrom(PAGE_ID, INSTAGRAM_ACCOUNT_ID), id),
  time: maybe(time),
  changes: items(change),
  messaging: items(messagingItem),
  standby: rarely(fc.array(anyJson, { maxLength: 2 })),
});
const metaShaped = fc.record({
  object: fc.option(mostly(fc.constantFrom('page', 'instagram'), fc.constant('user'), anyJson), { nil: undefined, freq: 20 }),
  entry: fc.option(mostly(fc.array(entry, { maxLength: 4 }), anyJson), { nil: undefined, freq: 20 }),
});
/** Serialised as JSON.stringify writes it or as Meta does, escaped (§2.3). */
const asBody = (value: unknown, escaped: boolean) => Buffer.from(escaped ? escapedLikeMeta(JSON.stringify(value)) : JSON.stringify(value));

describe('Meta webhook properties', () => {
  it('parse throws nothing but ValidationError, whatever the bytes', { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        const { error } = parseOutcome(Buffer.from(bytes));
        if (error !== undefined) expect(error).toBeInstanceOf(ValidationError);
      }),
      RUNS,
    );
  });

  it('parse throws nothing but ValidationError, whatever the JSON', { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, escaped) => {
        const { error } = parseOutcome(asBody(value, escaped));
        if (error !== undefined) expect(error).toBeInstanceOf(ValidationError);
      }),
      RUNS,
    );
  });

  it('hands on only posts that satisfy SocialPost, and throws nothing but ValidationError, for Meta-shaped deliveries', { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(metaShaped, fc.boolean(), (value, escaped) => {
        const { delivery, error } = parseOutcome(asBody(value, escaped));
        if (error !== undefined) {
          expect(error).toBeInstanceOf(ValidationError);
          return;
        }
        for (const { post, dedupeKey } of delivery!.posts) {
          expect(SocialPost.safeParse(post).success).toBe(true);
          expect(dedupeKey.startsWith(`${post.platform}:${post.id}`)).toBe(true);
        }
        for (const removal of delivery!.removals) {
          expect(Platform.safeParse(removal.platform).success).toBe(true);
          expect(Number.isNaN(Date.parse(removal.removedAt))).toBe(false);
          expect(removal.dedupeKey).toBe(`${removal.platform}:${removal.postId}:removed`);
        }
      }),
      RUNS,
    );
  });

  it('accounts for every change and messaging item of a batch exactly once', { timeout: TIMEOUT }, () => {
    const wellFormedEntry = fc.record({
      id: fc.constantFrom(PAGE_ID, INSTAGRAM_ACCOUNT_ID),
      time: maybe(time),
      changes: fc.array(change, { maxLength: 4 }),
      messaging: fc.array(messagingItem, { maxLength: 4 }),
    });
    fc.assert(
      fc.property(fc.constantFrom('page', 'instagram', 'user'), fc.array(wellFormedEntry, { maxLength: 5 }), (object, entries) => {
        const delivery = metaPlatform.parse(asBody({ object, entry: entries }, true), NOW);
        const expected = entries.reduce((sum, { changes, messaging }) => sum + Math.max(1, changes.length + messaging.length), 0);
        expect(delivery.posts.length + delivery.removals.length + delivery.ignored.length).toBe(expected);
      }),
      RUNS,
    );
  });

  it('verify accepts a signed body and never the same body changed in one byte', { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 1024 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (bytes, position, flip) => {
        const body = Buffer.from(bytes);
        const headers = { 'x-hub-signature-256': signMetaBody(body, APP_SECRET) };
        expect(() => metaPlatform.verify(headers, body, secrets, NOW)).not.toThrow();
        const changed = Buffer.from(body);
        const index = position % changed.length;
        changed[index] = changed[index]! ^ flip;
        expect(() => metaPlatform.verify(headers, changed, secrets, NOW)).toThrow(AuthenticationError);
      }),
      RUNS,
    );
  });

  it('verify throws nothing but AuthenticationError, whatever the headers and secrets', { timeout: TIMEOUT }, () => {
    const hexDigest = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: 60, maxLength: 68 });
    const signatureLike = fc.oneof(
      fc.string(),
      hexDigest.map((digest) => `sha256=${digest}`),
      fc.tuple(hexDigest, hexDigest).map(([a, b]) => `sha256=${a},sha256=${b}`),
      fc.string({ unit: 'binary', maxLength: 2000 }),
    );
    const headerName = fc.oneof(fc.constantFrom('x-hub-signature-256', 'X-Hub-Signature-256', 'x-hub-signature'), fc.string());
    fc.assert(
      fc.property(
        fc.dictionary(headerName, fc.option(signatureLike, { nil: undefined })),
        fc.uint8Array({ maxLength: 256 }),
        fc.array(fc.string(), { maxLength: 3 }),
        (headers, body, appSecrets) => {
          try {
            metaPlatform.verify(headers, Buffer.from(body), { appSecrets, verifyToken: '' }, NOW);
          } catch (error) {
            expect(error).toBeInstanceOf(AuthenticationError);
          }
        },
      ),
      RUNS,
    );
  });

  it('verifies escaped and unescaped forms of the same text each against its own bytes, and both read the same', { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }), (message) => {
        const value = {
          object: 'page',
          entry: [{ id: PAGE_ID, time: 1_795_341_600, changes: [{ field: 'feed', value: { item: 'status', verb: 'add', post_id: '3_1', from: { id: '9' }, message } }] }],
        };
        const plain = asBody(value, false);
        const escaped = asBody(value, true);
        for (const body of [plain, escaped]) {
          expect(() => metaPlatform.verify({ 'x-hub-signature-256': signMetaBody(body, APP_SECRET) }, body, secrets, NOW)).not.toThrow();
          expect(metaPlatform.parse(body, NOW).posts[0]!.post.text).toBe(message);
        }
        if (!plain.equals(escaped)) {
          expect(() => metaPlatform.verify({ 'x-hub-signature-256': signMetaBody(escaped, APP_SECRET) }, plain, secrets, NOW)).toThrow(AuthenticationError);
        }
      }),
      RUNS,
    );
  });
});
