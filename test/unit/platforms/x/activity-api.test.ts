import { describe, expect, it } from 'vitest';
import { xPlatform } from '#platforms/x/platform';
import { BRAND_ID, issuesOf, NOW, xFixture } from './fixtures.ts';

const parse = (name: string) => xPlatform.parse(xFixture(name), NOW);
const parseJson = (value: unknown) => xPlatform.parse(Buffer.from(JSON.stringify(value)), NOW);
const fixtureJson = (name: string) => JSON.parse(xFixture(name).toString('utf8'));

const AIKO = { id: '1712004388315512832', handle: '@aiko_tnk', name: '田中 愛子 Aiko' };
const BRAND_TWEET_ID = '2124053961110458373';

describe('X Activity API post events', () => {
  it('maps post.mention.create to a mention, with the author from includes.users', () => {
    expect(parse('xaa-post-mention.json')).toStrictEqual({
      posts: [
        {
          dedupeKey: 'x:post:2124409600340919473',
          post: {
            platform: 'x',
            kind: 'mention',
            id: '2124409600340919473',
            threadId: '2124409600340919473',
            mentions: [{ id: BRAND_ID, handle: '@SkyLarkAir' }],
            author: AIKO,
            text: '@SkyLarkAir 羽田行きSK 88便、機内Wi-Fiが6時間ずっと使えませんでした。返金はありますか？',
            languageHint: 'ja',
            createdAt: '2026-11-22T07:48:13.000Z',
            url: 'https://x.com/aiko_tnk/status/2124409600340919473',
            brandAccountId: BRAND_ID,
          },
        },
      ],
      removals: [],
      ignored: [],
    });
  });

  it('reads users wrapped as {"data":{...}} in includes, and keeps a reply that mentions the brand a reply', () => {
    expect(parse('xaa-post-mention-wrapped-users.json').posts).toEqual([
      {
        dedupeKey: 'x:post:2124410720220086682',
        post: {
          platform: 'x',
          kind: 'reply',
          id: '2124410720220086682',
          threadId: BRAND_TWEET_ID,
          inReplyToId: BRAND_TWEET_ID,
          mentions: [{ id: BRAND_ID, handle: '@SkyLarkAir' }],
          author: { id: '1438201937465577472', handle: '@dkowalski_travels', name: 'Dawid Kowalski' },
          text: '@SkyLarkAir Lost bag at AMS & the tracker link 404s. File ref AMSSK12345, it has my insulin in it. Please call me.',
          languageHint: 'en',
          createdAt: '2026-11-22T07:52:40.000Z',
          url: 'https://x.com/dkowalski_travels/status/2124410720220086682',
          brandAccountId: BRAND_ID,
        },
      },
    ]);
  });

  it('gives a post the same dedupe key whether Account Activity or the X Activity API delivered it', () => {
    const viaAccountActivity = xPlatform.parse(xFixture('aaa-tweet-mention.json'), NOW).posts[0]!;
    const body = fixtureJson('xaa-post-mention.json');
    body.data.payload.id = viaAccountActivity.post.id;
    expect(parseJson(body).posts[0]!.dedupeKey).toBe(viaAccountActivity.dedupeKey);
  });

  it('takes the reply target from in_reply_to_tweet_id when referenced_tweets is absent', () => {
    const body = fixtureJson('xaa-post-mention-wrapped-users.json');
    delete body.data.payload.referenced_tweets;
    body.data.payload.in_reply_to_tweet_id = BRAND_TWEET_ID;
    expect(parseJson(body).posts[0]!.post).toMatchObject({ kind: 'reply', inReplyToId: BRAND_TWEET_ID });
  });

  it('calls post.reply.create a reply even when the payload omits what it replies to', () => {
    const body = fixtureJson('xaa-post-mention.json');
    body.data.event_type = 'post.reply.create';
    expect(parseJson(body).posts[0]!.post.kind).toBe('reply');
  });

  it('maps post.quote.create to a post naming the quoted post', () => {
    const body = fixtureJson('xaa-post-mention.json');
    body.data.event_type = 'post.quote.create';
    body.data.payload.entities = { mentions: [] };
    body.data.payload.referenced_tweets = [{ type: 'quoted', id: BRAND_TWEET_ID }];
    expect(parseJson(body).posts[0]!.post).toMatchObject({ kind: 'post', quotedId: BRAND_TWEET_ID });
  });

  it('reads a longform post from note_tweet.text', () => {
    const body = fixtureJson('xaa-post-mention.json');
    body.data.payload.note_tweet = { text: `${body.data.payload.text} ${'とても困っています。'.repeat(40)}` };
    expect(parseJson(body).posts[0]!.post.text).toBe(body.data.payload.note_tweet.text);
  });

  it('ignores the brand account\'s own post and reposts', () => {
    const own = fixtureJson('xaa-post-mention.json');
    own.data.event_type = 'post.create';
    own.data.payload.author_id = BRAND_ID;
    expect(parseJson(own).ignored).toEqual([{ reason: "x:post:2124409600340919473 is the brand account's own post" }]);

    const repost = fixtureJson('xaa-post-mention.json');
    repost.data.event_type = 'post.repost.create';
    expect(parseJson(repost)).toEqual({ posts: [], removals: [], ignored: [{ reason: 'post.repost.create: a repost is not a new post' }] });
  });

  it('keeps the author id alone when includes has no user for it', () => {
    const body = fixtureJson('xaa-post-mention.json');
    delete body.data.includes;
    expect(parseJson(body).posts[0]!.post).toMatchObject({ author: { id: AIKO.id }, url: 'https://x.com/i/web/status/2124409600340919473' });
  });

  it('refuses a post event whose payload is not a post, naming the field', () => {
    const body = fixtureJson('xaa-post-mention.json');
    body.data.payload.id = 2124409600340919473;
    expect(issuesOf(() => parseJson(body)).map((issue) => issue.path)).toEqual(['data.payload.id']);
  });
});

describe('X Activity API removals and direct messages', () => {
  it('records post.delete as a removal', () => {
    expect(parse('xaa-post-delete.json')).toEqual({
      posts: [],
      removals: [{ platform: 'x', postId: '2124409600340919473', removedAt: NOW.toISOString(), brandAccountId: BRAND_ID, dedupeKey: 'x:post:2124409600340919473:removed' }],
      ignored: [],
    });
  });

  it('maps dm.received through the legacy direct_message_events shape inside payload', () => {
    expect(parse('xaa-dm-received.json')).toStrictEqual({
      posts: [
        {
          dedupeKey: 'x:dm:2124412900373168131',
          post: {
            platform: 'x',
            kind: 'direct_message',
            id: '2124412900373168131',
            threadId: `${BRAND_ID}-${AIKO.id}`,
            author: AIKO,
            text: 'Hello, my booking ref is JPN4TK. Could you refund the Wi-Fi I paid for on SK 88? ありがとうございます \u{1F647}',
            createdAt: '2026-11-22T08:01:19.789Z',
            brandAccountId: BRAND_ID,
          },
        },
      ],
      removals: [],
      ignored: [],
    });
  });

  it('finds a DM author in includes when the payload\'s users map lacks them', () => {
    const body = fixtureJson('xaa-dm-received.json');
    delete body.data.payload.users;
    expect(parseJson(body).posts[0]!.post.author).toEqual(AIKO);
  });

  it('ignores dm.sent, which is the brand\'s own message', () => {
    const body = fixtureJson('xaa-dm-received.json');
    body.data.event_type = 'dm.sent';
    expect(parseJson(body).ignored).toEqual([{ reason: 'dm.sent: a message the brand account sent' }]);
  });

  it('ignores event types it does not handle, such as profile updates', () => {
    const body = { data: { filter: { user_id: BRAND_ID }, event_type: 'profile.update.bio', tag: 'bio', payload: { before: 'a', after: 'b' } } };
    expect(parseJson(body).ignored).toEqual([{ reason: 'X Activity event profile.update.bio is not handled' }]);
  });
});
