import { describe, expect, it } from 'vitest';
import { SocialPost } from '#contracts/social-post';
import { xPlatform } from '#platforms/x/platform';
import { BRAND_ID, issuesOf, NOW, xFixture } from './fixtures.ts';

const parse = (name: string) => xPlatform.parse(xFixture(name), NOW);
const parseJson = (value: unknown) => xPlatform.parse(Buffer.from(JSON.stringify(value)), NOW);

const MARTA = { id: '1523894410237644800', handle: '@marta_viaja', name: 'Marta Ribeiro' };
const BRAND_MENTION = { id: BRAND_ID, handle: '@SkyLarkAir' };
const BRAND_TWEET_ID = '2124053961110458373';

describe('X Account Activity tweet_create_events', () => {
  it('maps a tweet that @mentions the brand to a mention, with the &amp; X puts in text decoded', () => {
    expect(parse('aaa-tweet-mention.json')).toStrictEqual({
      posts: [
        {
          dedupeKey: 'x:post:2124068481790903089',
          post: {
            platform: 'x',
            kind: 'mention',
            id: '2124068481790903089',
            threadId: '2124068481790903089',
            mentions: [BRAND_MENTION],
            author: MARTA,
            text: '@SkyLarkAir flight SK 214 LIS\u2192LHR cancelled & nobody at the desk to rebook us. 3 hours in the queue so far \u{1F624} #SkyLark',
            languageHint: 'en',
            createdAt: '2026-11-21T09:12:44.000Z',
            url: 'https://x.com/marta_viaja/status/2124068481790903089',
            brandAccountId: BRAND_ID,
          },
        },
      ],
      removals: [],
      ignored: [],
    });
  });

  it('takes every id from id_str, since the numeric id has lost digits by the time JSON.parse returns it', () => {
    const raw = JSON.parse(xFixture('aaa-tweet-mention.json').toString('utf8')) as { tweet_create_events: Array<{ id: number; id_str: string }> };
    const [tweet] = raw.tweet_create_events;
    expect(String(tweet!.id)).not.toBe(tweet!.id_str);
    expect(parse('aaa-tweet-mention.json').posts[0]!.post.id).toBe('2124068481790903089');
  });

  it('maps a reply to the brand as a reply in the thread of the post it answers, even though it starts with @brand', () => {
    const [incoming] = parse('aaa-tweet-reply.json').posts;
    expect(incoming).toEqual({
      dedupeKey: 'x:post:2124075473695672562',
      post: {
        platform: 'x',
        kind: 'reply',
        id: '2124075473695672562',
        threadId: BRAND_TWEET_ID,
        inReplyToId: BRAND_TWEET_ID,
        mentions: [BRAND_MENTION],
        author: { id: '1438201937465577472', handle: '@dkowalski_travels', name: 'Dawid Kowalski' },
        text: '@SkyLarkAir Sent you a DM 2 hours ago with booking ref QX7P2M, still no answer. My connection in Frankfurt leaves at 18:40.',
        languageHint: 'en',
        createdAt: '2026-11-21T09:40:31.000Z',
        url: 'https://x.com/dkowalski_travels/status/2124075473695672562',
        brandAccountId: BRAND_ID,
      },
    });
  });

  it('reads the whole of a long post from extended_tweet.full_text, not the cut text', () => {
    const [incoming] = parse('aaa-tweet-extended.json').posts;
    const post = incoming!.post;
    expect(post.text).toMatch(/^@SkyLarkAir Llevo desde las 6:00 en el aeropuerto de Barajas\. /);
    expect(post.text).toMatch(/¿Quién me va a devolver el dinero del hotel que ya no voy a usar\? Necesito una solución hoy, no un formulario\.$/);
    expect(post.text).not.toContain('https://t.co/');
    expect(post.text.length).toBeGreaterThan(280);
    expect(post).toMatchObject({ kind: 'mention', languageHint: 'es', mentions: [BRAND_MENTION], author: { name: 'Lucía Fernández', handle: '@luciafdz_' } });
  });

  it('keeps the cut text when a truncated tweet arrives without extended_tweet', () => {
    const body = JSON.parse(xFixture('aaa-tweet-extended.json').toString('utf8'));
    delete body.tweet_create_events[0].extended_tweet;
    const [incoming] = parseJson(body).posts;
    expect(incoming!.post.text).toMatch(/… https:\/\/t\.co\/Xk3pQ9fz2b$/);
  });

  it('maps a quote of the brand\'s post that does not tag the brand to a post that names the quoted one', () => {
    const [incoming] = parse('aaa-tweet-quote.json').posts;
    expect(incoming!.post).toEqual({
      platform: 'x',
      kind: 'post',
      id: '2124088165659575876',
      threadId: '2124088165659575876',
      quotedId: BRAND_TWEET_ID,
      author: { id: '1289345500218724352', handle: '@jordo_flies', name: 'Jordan Okafor' },
      text: 'Great, a new lounge. Maybe fix the 3 hour delays on SK 402 first? Every single week. https://t.co/8bHq2LmZ1c',
      languageHint: 'en',
      createdAt: '2026-11-21T10:30:57.000Z',
      url: 'https://x.com/jordo_flies/status/2124088165659575876',
      brandAccountId: BRAND_ID,
    });
  });

  it('ignores a retweet, which is not a new complaint', () => {
    expect(parse('aaa-tweet-retweet.json')).toEqual({
      posts: [],
      removals: [],
      ignored: [{ reason: 'retweet x:post:2124091776955318348 is not a new post' }],
    });
  });

  it('ignores the brand account\'s own posts and replies', () => {
    expect(parse('aaa-tweet-own.json')).toEqual({
      posts: [],
      removals: [],
      ignored: [{ reason: "x:post:2124079118545849343 is the brand account's own post" }],
    });
  });

  it('maps each tweet of a batch on its own, keeping customers\' tweets and skipping the brand\'s', () => {
    const tweets = ['aaa-tweet-mention.json', 'aaa-tweet-own.json', 'aaa-tweet-quote.json'].map(
      (name) => (JSON.parse(xFixture(name).toString('utf8')) as { tweet_create_events: unknown[] }).tweet_create_events[0],
    );
    const delivery = parseJson({ for_user_id: BRAND_ID, tweet_create_events: tweets });
    expect(delivery.posts.map((incoming) => incoming.dedupeKey)).toEqual(['x:post:2124068481790903089', 'x:post:2124088165659575876']);
    expect(delivery.ignored).toHaveLength(1);
  });

  it('takes the time from created_at when timestamp_ms is absent, and the receipt time when both are', () => {
    const body = JSON.parse(xFixture('aaa-tweet-reply.json').toString('utf8'));
    delete body.tweet_create_events[0].timestamp_ms;
    expect(parseJson(body).posts[0]!.post.createdAt).toBe('2026-11-21T09:40:31.000Z');
    delete body.tweet_create_events[0].created_at;
    expect(parseJson(body).posts[0]!.post.createdAt).toBe(NOW.toISOString());
  });

  it('keeps a tweet that lacks optional data: no lang, no entities, no screen name', () => {
    const body = {
      for_user_id: BRAND_ID,
      tweet_create_events: [{ id_str: '2124068481790903090', text: 'vol annulé, personne au guichet', user: { id_str: '1523894410237644800' }, lang: 'und', entities: null }],
    };
    expect(parseJson(body).posts[0]!.post).toEqual({
      platform: 'x',
      kind: 'post',
      id: '2124068481790903090',
      threadId: '2124068481790903090',
      author: { id: '1523894410237644800' },
      text: 'vol annulé, personne au guichet',
      createdAt: NOW.toISOString(),
      url: 'https://x.com/i/web/status/2124068481790903090',
      brandAccountId: BRAND_ID,
    });
  });

  it('decodes only the three entities X escapes, once', () => {
    const body = { for_user_id: BRAND_ID, tweet_create_events: [{ id_str: '1', text: '&lt;3 &amp;lt; &gt; &quot;x&quot; &#39;', user: { id_str: '2' } }] };
    expect(parseJson(body).posts[0]!.post.text).toBe('<3 &lt; > &quot;x&quot; &#39;');
  });

  it('produces posts that satisfy the SocialPost contract', () => {
    for (const name of ['aaa-tweet-mention.json', 'aaa-tweet-reply.json', 'aaa-tweet-extended.json', 'aaa-tweet-quote.json']) {
      for (const { post } of parse(name).posts) expect(SocialPost.safeParse(post).success).toBe(true);
    }
  });
});

describe('X Account Activity direct_message_events', () => {
  it('maps a message to the brand to a direct message, with its author from the users map', () => {
    expect(parse('aaa-dm-received.json')).toStrictEqual({
      posts: [
        {
          dedupeKey: 'x:dm:2124096902910705676',
          post: {
            platform: 'x',
            kind: 'direct_message',
            id: '2124096902910705676',
            threadId: `${BRAND_ID}-1523894410237644800`,
            author: MARTA,
            text: 'Hi, booking ref QX7P2M. Flight SK 214 was cancelled, I need to get to London tonight \u2014 can you put me on the 19:05? Obrigada \u{1F64F}',
            createdAt: '2026-11-21T11:05:40.123Z',
            brandAccountId: BRAND_ID,
          },
        },
      ],
      removals: [],
      ignored: [],
    });
  });

  it('ignores the echo of a message the brand sent', () => {
    expect(parse('aaa-dm-echo.json')).toEqual({
      posts: [],
      removals: [],
      ignored: [{ reason: 'x:dm:2124097751556816901 was sent by the brand account (echo)' }],
    });
  });

  it('gives both directions of one conversation the same thread id', () => {
    const received = JSON.parse(xFixture('aaa-dm-received.json').toString('utf8'));
    // The same exchange seen by the customer's subscription: the brand's message is then not an echo.
    const echo = JSON.parse(xFixture('aaa-dm-echo.json').toString('utf8'));
    echo.for_user_id = '1523894410237644800';
    const inbound = parseJson(received).posts[0]!.post;
    const outbound = parseJson(echo).posts[0]!.post;
    expect(outbound.threadId).toBe(inbound.threadId);
  });

  it('keeps a message whose sender is missing from the users map, with the sender id alone', () => {
    const body = JSON.parse(xFixture('aaa-dm-received.json').toString('utf8'));
    delete body.users;
    expect(parseJson(body).posts[0]!.post.author).toEqual({ id: '1523894410237644800' });
  });

  it('ignores direct message events that are not messages', () => {
    const body = { for_user_id: BRAND_ID, direct_message_events: [{ type: 'message_delete', id: '2124096902910705676' }] };
    expect(parseJson(body).ignored).toEqual([{ reason: 'direct message event of type message_delete is not a message' }]);
  });

  it('refuses a message_create event without its message, naming the field', () => {
    const body = { for_user_id: BRAND_ID, direct_message_events: [{ type: 'message_create', id: '2124096902910705676' }] };
    expect(issuesOf(() => parseJson(body))).toEqual([{ path: 'direct_message_events.0.message_create', message: 'a message_create event needs its message_create object' }]);
  });
});

describe('X Account Activity removals and skipped events', () => {
  it('records a deleted tweet as a removal keyed apart from the post', () => {
    expect(parse('aaa-tweet-delete.json')).toEqual({
      posts: [],
      removals: [
        {
          platform: 'x',
          postId: '2124075473695672562',
          removedAt: '2026-11-21T11:20:00.000Z',
          brandAccountId: BRAND_ID,
          dedupeKey: 'x:post:2124075473695672562:removed',
        },
      ],
      ignored: [],
    });
  });

  it('takes a numeric status id only while it is still exact', () => {
    const delivery = parseJson({ for_user_id: BRAND_ID, tweet_delete_events: [{ status: { id: 20, user_id: '2' }, timestamp_ms: '1795260000000' }] });
    expect(delivery.removals[0]!.postId).toBe('20');
    const imprecise = Buffer.from(`{"for_user_id":"${BRAND_ID}","tweet_delete_events":[{"status":{"id":2124075473695672562,"user_id":"2"}}]}`);
    expect(issuesOf(() => xPlatform.parse(imprecise, NOW)).map((issue) => issue.path)).toEqual(['tweet_delete_events.0.status.id']);
  });

  it.each([
    ['aaa-favorite.json', 'favorite_events: likes are not handled (1 event)'],
    ['aaa-follow.json', 'follow_events: follows and unfollows are not handled (1 event)'],
    ['aaa-replay-job-status.json', 'replay_job_status: a replay job ended (Complete)'],
  ])('acknowledges %s without handing anything on', (name, reason) => {
    expect(parse(name)).toEqual({ posts: [], removals: [], ignored: [{ reason }] });
  });

  it.each([
    ['block_events', 'blocks and unblocks'],
    ['mute_events', 'mutes and unmutes'],
    ['direct_message_indicate_typing_events', 'typing indicators'],
    ['direct_message_mark_read_events', 'read receipts'],
  ])('acknowledges %s without handing anything on', (key, what) => {
    expect(parseJson({ for_user_id: BRAND_ID, [key]: [{}, {}] }).ignored).toEqual([{ reason: `${key}: ${what} are not handled (2 events)` }]);
  });

  it('acknowledges a user_event (the account revoked the app), which has no for_user_id', () => {
    const body = { user_event: { revoke: { date_time: '2026-11-21T12:00:00.000Z', target: { app_id: '31950347' }, source: { user_id: BRAND_ID } } } };
    expect(parseJson(body)).toEqual({ posts: [], removals: [], ignored: [{ reason: 'user_event: the account revoked the app; X deletes the subscription itself' }] });
  });
});
