import { describe, expect, it } from 'vitest';
import { xPlatform } from '#platforms/x/platform';
import { issuesOf, NOW, xFixture } from './fixtures.ts';

const parseJson = (value: unknown) => xPlatform.parse(Buffer.from(JSON.stringify(value)), NOW);
const fixtureJson = () => JSON.parse(xFixture('fsw-post.json').toString('utf8'));

const POST = {
  platform: 'x',
  kind: 'post',
  id: '2124420136432566922',
  threadId: '2124420136432566922',
  author: { id: '1845530011223344556', handle: '@inescarvalho_pt', name: 'Inês Carvalho' },
  text: 'Third cancellation this month on Skylark out of Porto. Never again. Já chega! #SkyLark',
  languageHint: 'en',
  createdAt: '2026-11-22T08:30:05.000Z',
  url: 'https://x.com/inescarvalho_pt/status/2124420136432566922',
};

describe('X filtered-stream webhook bodies', () => {
  it('maps a post matched by a rule, naming no brand account', () => {
    expect(xPlatform.parse(xFixture('fsw-post.json'), NOW)).toStrictEqual({
      posts: [{ dedupeKey: 'x:post:2124420136432566922', post: POST }],
      removals: [],
      ignored: [],
    });
  });

  it('reads a list of posts too, in case X batches them', () => {
    const body = fixtureJson();
    body.data = [body.data, { ...body.data, id: '2124420136432566923', conversation_id: '2124420136432566923' }];
    expect(parseJson(body).posts.map((incoming) => incoming.dedupeKey)).toEqual(['x:post:2124420136432566922', 'x:post:2124420136432566923']);
  });

  it('keeps a post delivered with only the default fields, dated when it arrived', () => {
    const body = { data: { id: '2124420136432566922', text: 'Skylark lost my bag', author_id: '1845530011223344556', edit_history_tweet_ids: ['2124420136432566922'] }, matching_rules: [{ id: '1', tag: 'bags' }] };
    expect(parseJson(body).posts[0]!.post).toEqual({
      platform: 'x',
      kind: 'post',
      id: '2124420136432566922',
      author: { id: '1845530011223344556' },
      text: 'Skylark lost my bag',
      createdAt: NOW.toISOString(),
      url: 'https://x.com/i/web/status/2124420136432566922',
    });
  });

  it('refuses a post without author_id, saying which field the subscription must request', () => {
    const body = fixtureJson();
    delete body.data.author_id;
    expect(issuesOf(() => parseJson(body))).toEqual([{ path: 'data.author_id', message: "a post needs its author_id (add it to the subscription's tweet.fields)" }]);
  });

  it('ignores a matched retweet', () => {
    const body = fixtureJson();
    body.data.referenced_tweets = [{ type: 'retweeted', id: '2124053961110458373' }];
    expect(parseJson(body).ignored).toEqual([{ reason: 'repost x:post:2124420136432566922 is not a new post' }]);
  });
});
