import { describe, expect, it } from 'vitest';
import { verifyMetaSignature } from '#platforms/meta/signature';
import { metaPlatform } from '#platforms/meta/platform';
import { decodeSecret, verifyStandardWebhook } from '#platforms/standard-webhooks/signature';
import { standardWebhooksPlatform } from '#platforms/standard-webhooks/platform';
import { verifyXSignature } from '#platforms/x/signature';
import { xPlatform } from '#platforms/x/platform';
import { buildDelivery, jsonWithExactIntegers, metaJson, twitterDate, xId, type OutgoingPost } from '../../../bin/send/deliveries.ts';

const NOW = new Date('2026-11-22T10:00:00.000Z');
const WEBHOOK_SECRET = `whsec_${Buffer.from('a test webhook secret, 32 bytes!').toString('base64')}`;
const X_SECRET = 'test-x-consumer-secret';
const META_SECRET = 'test-meta-app-secret';

const amelie: OutgoingPost = {
  id: 'line-1',
  text: 'Mon vol a été annulé / personne ne répond <encore> & rien 😡',
  author: { id: 'amelie-d', handle: '@amelie_d', name: 'Amélie Durand' },
  createdAt: new Date('2026-11-22T09:58:00.000Z'),
  language: 'fr',
};
const jonas: OutgoingPost = { id: '1043227624498172_884391207715938', text: 'Bag lost in München', author: { id: '2849105563018827' }, createdAt: NOW };

describe('generic deliveries', () => {
  const delivery = buildDelivery('generic', [amelie], { secret: WEBHOOK_SECRET, brand: { id: 'brand-eu' }, now: NOW });

  it('carry a Standard Webhooks signature that the webhook verifies', () => {
    expect(delivery.path).toBe('/webhooks/generic');
    expect(verifyStandardWebhook(delivery.headers, delivery.body, [decodeSecret(WEBHOOK_SECRET)], NOW)).toEqual({ ok: true, webhookId: delivery.headers['webhook-id'] });
    expect(delivery.headers['webhook-timestamp']).toBe(String(NOW.getTime() / 1000));
  });

  it('hold the post in schema v1, as the webhook reads it', () => {
    const [incoming] = standardWebhooksPlatform.parse(delivery.body, NOW).posts;
    expect(incoming?.post).toEqual({
      platform: 'generic',
      kind: 'post',
      id: 'line-1',
      author: amelie.author,
      text: amelie.text,
      languageHint: 'fr',
      createdAt: '2026-11-22T09:58:00.000Z',
      brandAccountId: 'brand-eu',
    });
  });

  it('get a fresh webhook-id each, so two posts are never one message', () => {
    const again = buildDelivery('generic', [amelie], { secret: WEBHOOK_SECRET, brand: {}, now: NOW });
    expect(again.headers['webhook-id']).not.toBe(delivery.headers['webhook-id']);
  });
});

describe('X deliveries', () => {
  const brand = { id: '1072583649001988096', handle: 'SkyLarkAir' };
  const delivery = buildDelivery('x', [amelie], { secret: X_SECRET, brand, now: NOW });
  const text = delivery.body.toString('utf8');

  it('carry the x-twitter-webhooks-signature the webhook verifies', () => {
    expect(delivery.path).toBe('/webhooks/x');
    expect(verifyXSignature(delivery.headers, delivery.body, [X_SECRET])).toEqual({ ok: true });
    expect(verifyXSignature(delivery.headers, delivery.body, ['another secret'])).toMatchObject({ ok: false });
  });

  it('read as an @mention of the brand by its author, with the text X escaped decoded again', () => {
    const [incoming] = xPlatform.parse(delivery.body, NOW).posts;
    expect(incoming?.post).toMatchObject({
      platform: 'x',
      kind: 'mention',
      text: `@SkyLarkAir ${amelie.text}`,
      author: { handle: '@amelie_d', name: 'Amélie Durand' },
      mentions: [{ id: brand.id, handle: '@SkyLarkAir' }],
      languageHint: 'fr',
      createdAt: '2026-11-22T09:58:00.000Z',
      brandAccountId: brand.id,
    });
    expect(text).toContain('&lt;encore&gt; &amp; rien');
  });

  it('write numeric ids as exact JSON numbers above 2^53, next to their id_str', () => {
    const body = JSON.parse(text) as { tweet_create_events: Array<{ id_str: string; user: { id_str: string } }> };
    const [tweet] = body.tweet_create_events;
    expect(tweet?.id_str).toMatch(/^[0-9]{19}$/);
    expect(text).toContain(`"id":${tweet!.id_str},"id_str":"${tweet!.id_str}"`);
    expect(text).toContain(`"id":${brand.id},"id_str":"${brand.id}"`);
    expect(text).toContain('"created_at":"Sun Nov 22 09:58:00 +0000 2026"');
    expect(text).toContain(`"timestamp_ms":"${amelie.createdAt.getTime()}"`);
  });

  it('map an id that is not an X id to the same snowflake every time, and keep one that is', () => {
    expect(xId('line-1', 'post')).toBe(xId('line-1', 'post'));
    expect(xId('line-1', 'post')).not.toBe(xId('line-2', 'post'));
    expect(BigInt(xId('line-1', 'post'))).toBeLessThan(2n ** 63n);
    expect(xId('2124068481790903089', 'post')).toBe('2124068481790903089');
  });
});

describe('Meta deliveries', () => {
  const pageId = '104881129370011';
  const delivery = buildDelivery('meta', [amelie, jonas], { secret: META_SECRET, brand: { id: pageId }, now: NOW });
  const text = delivery.body.toString('utf8');

  it('carry the x-hub-signature-256 the webhook verifies, over the escaped bytes', () => {
    expect(delivery.path).toBe('/webhooks/meta');
    expect(verifyMetaSignature(delivery.headers, delivery.body, [META_SECRET])).toEqual({ ok: true });
  });

  it('are written in escaped unicode, as Meta signs them: ASCII only, with \\/', () => {
    expect(text).toMatch(/^[\x20-\x7e]*$/);
    expect(text).toContain('Am\\u00e9lie');
    expect(text).toContain('\\ud83d\\ude21');
    expect(text).toContain(' \\/ personne');
  });

  it('pack a batch as one change per post, each a comment by its author on the Page', () => {
    const parsed = metaPlatform.parse(delivery.body, NOW);
    expect(parsed.ignored).toEqual([]);
    expect(parsed.posts.map((incoming) => incoming.post)).toEqual([
      expect.objectContaining({ platform: 'facebook', kind: 'comment', text: amelie.text, author: { id: expect.stringMatching(/^[0-9]{16}$/), name: 'Amélie Durand' }, brandAccountId: pageId }),
      expect.objectContaining({
        id: jonas.id,
        threadId: `${pageId}_1043227624498172`,
        author: { id: '2849105563018827', name: '2849105563018827' },
        createdAt: NOW.toISOString(),
      }),
    ]);
    expect(delivery.posts).toBe(2);
  });
});

describe('replies (inReplyTo)', () => {
  const answer: OutgoingPost = { id: 'answer-1', text: 'here is my booking ref QX4T9P', author: { id: 'cust-7' }, createdAt: NOW, inReplyTo: 'agent-reply-1' };

  it('go as kind reply with inReplyToId over Standard Webhooks', () => {
    const [incoming] = standardWebhooksPlatform.parse(buildDelivery('generic', [answer], { secret: WEBHOOK_SECRET, brand: {}, now: NOW }).body, NOW).posts;
    expect(incoming?.post).toMatchObject({ kind: 'reply', id: 'answer-1', inReplyToId: 'agent-reply-1' });
  });

  it('go as an X reply to a post of the brand, read as kind reply', () => {
    const brand = { id: '1072583649001988096', handle: 'SkyLarkAir' };
    const [incoming] = xPlatform.parse(buildDelivery('x', [answer], { secret: X_SECRET, brand, now: NOW }).body, NOW).posts;
    expect(incoming?.post).toMatchObject({ platform: 'x', kind: 'reply', inReplyToId: xId('agent-reply-1', 'post') });
  });

  it('go as a Meta comment under the comment they answer, on its post, read as kind reply', () => {
    const pageId = '102938475610293';
    const parsed = metaPlatform.parse(buildDelivery('meta', [{ ...answer, inReplyTo: '1043227624498172_884391207715938' }], { secret: META_SECRET, brand: { id: pageId }, now: NOW }).body, NOW);
    expect(parsed.posts.map((incoming) => incoming.post)).toEqual([
      expect.objectContaining({ platform: 'facebook', kind: 'reply', inReplyToId: '1043227624498172_884391207715938', threadId: `${pageId}_1043227624498172`, id: expect.stringMatching(/^1043227624498172_[0-9]{16}$/) }),
    ]);
  });

  it('leave a post without inReplyTo as it was', () => {
    const { inReplyTo: _, ...plain } = answer;
    const [incoming] = standardWebhooksPlatform.parse(buildDelivery('generic', [plain], { secret: WEBHOOK_SECRET, brand: {}, now: NOW }).body, NOW).posts;
    expect(incoming?.post).toMatchObject({ kind: 'post' });
    expect(incoming?.post.inReplyToId).toBeUndefined();
  });
});

describe('payload helpers', () => {
  it('formats created_at the way v1.1 does, in UTC with a two-digit day', () => {
    expect(twitterDate(new Date('2026-08-02T04:03:01.999Z'))).toBe('Sun Aug 02 04:03:01 +0000 2026');
  });

  it('writes bigints as bare integer literals and leaves strings that look like them alone', () => {
    expect(jsonWithExactIntegers({ id: 2124068481790903089n, text: '2124068481790903089', list: [1n] })).toBe('{"id":2124068481790903089,"text":"2124068481790903089","list":[1]}');
  });

  it('escapes exactly what Meta escapes and nothing that changes the value', () => {
    const value = { message: 'Ünïcödé / <tag> 100% @LHR "quoted" \u2014 ✈️' };
    expect(JSON.parse(metaJson(value))).toEqual(value);
    expect(metaJson(value)).toBe('{"message":"\\u00dcn\\u00efc\\u00f6d\\u00e9 \\/ <tag> 100% @LHR \\"quoted\\" \\u2014 \\u2708\\ufe0f"}');
  });
});
