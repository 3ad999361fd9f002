import { describe, expect, it } from 'vitest';
import { ValidationError } from '#domain/errors';
import { xPlatform } from '#platforms/x/platform';
import { BRAND_ID, issuesOf, NOW, xFixture } from './fixtures.ts';

const parseText = (text: string) => xPlatform.parse(Buffer.from(text), NOW);
const parseJson = (value: unknown) => parseText(JSON.stringify(value));
const tweet = (overrides: Record<string, unknown> = {}) => ({ id_str: '2124068481790903089', text: 'flight cancelled', user: { id_str: '1523894410237644800', screen_name: 'marta_viaja' }, ...overrides });

describe('X delivery routing', () => {
  it.each([
    ['aaa-tweet-mention.json', 'posts'],
    ['aaa-tweet-delete.json', 'removals'],
    ['xaa-post-mention.json', 'posts'],
    ['xaa-post-delete.json', 'removals'],
    ['fsw-post.json', 'posts'],
    ['aaa-replay-job-status.json', 'ignored'],
  ] as const)('routes %s by its shape to %s', (name, where) => {
    expect(xPlatform.parse(xFixture(name), NOW)[where]).toHaveLength(1);
  });

  it('reads Account Activity keys first, as the spec orders them', () => {
    const delivery = parseJson({ for_user_id: BRAND_ID, tweet_create_events: [tweet()], data: { event_type: 'post.delete', payload: { id: '1' } } });
    expect(delivery.posts).toHaveLength(1);
    expect(delivery.removals).toEqual([]);
  });

  it('acknowledges a well-formed object of no known shape, naming its keys in the reason', () => {
    expect(parseJson({ for_user_id: BRAND_ID, subscription_event: {} })).toEqual({
      posts: [],
      removals: [],
      ignored: [{ reason: 'an X delivery of no known shape (keys: "for_user_id", "subscription_event")' }],
    });
    expect(parseJson({}).ignored).toEqual([{ reason: 'an X delivery of no known shape (keys: none)' }]);
  });

  it('acknowledges a data object without event_type and without matching_rules as of no known shape', () => {
    expect(parseJson({ data: { id: '1', text: 'hi' } }).ignored).toHaveLength(1);
  });
});

describe('X delivery validation', () => {
  it('refuses a body that is not JSON, saying so', () => {
    expect(() => parseText('for_user_id=1')).toThrow(ValidationError);
    expect(() => parseText('for_user_id=1')).toThrow(/^the X delivery is not valid JSON: /);
    expect(() => parseText('')).toThrow(/^the X delivery is not valid JSON: /);
  });

  it.each([
    ['an array', '[]', 'expected an object, received an array'],
    ['a string', '"tweet_create_events"', 'expected an object, received a string'],
    ['null', 'null', 'expected an object, received null'],
    ['a number', '2124068481790903089', 'expected an object, received a number'],
  ])('refuses JSON that is %s', (_, text, message) => {
    expect(() => parseText(text)).toThrow('the X delivery is not a JSON object');
    expect(issuesOf(() => parseText(text))).toEqual([{ path: '(root)', message }]);
  });

  it.each([
    ['tweet_create_events that is not a list', { for_user_id: BRAND_ID, tweet_create_events: { id_str: '1' } }, ['tweet_create_events']],
    ['a tweet without id_str', { for_user_id: BRAND_ID, tweet_create_events: [tweet({ id_str: undefined })] }, ['tweet_create_events.0.id_str']],
    ['a tweet whose id_str is not digits', { for_user_id: BRAND_ID, tweet_create_events: [tweet(), tweet({ id_str: '12ab' })] }, ['tweet_create_events.1.id_str']],
    ['a tweet without an author', { for_user_id: BRAND_ID, tweet_create_events: [tweet({ user: undefined })] }, ['tweet_create_events.0.user']],
    ['a numeric for_user_id', { for_user_id: 1072583649001988096, tweet_create_events: [] }, ['for_user_id']],
    ['an unreadable created_at', { for_user_id: BRAND_ID, tweet_create_events: [tweet({ created_at: 'yesterday' })] }, ['tweet_create_events.0.created_at']],
    ['a handle longer than any X allows', { for_user_id: BRAND_ID, tweet_create_events: [tweet({ user: { id_str: '1', screen_name: 'x'.repeat(300) } })] }, ['tweet_create_events.0.user.screen_name']],
    ['direct_message_events that is not a list', { for_user_id: BRAND_ID, direct_message_events: 'hello' }, ['direct_message_events']],
    ['favorite_events that is not a list', { for_user_id: BRAND_ID, favorite_events: {} }, ['favorite_events']],
    ['an X Activity event_type that is not a string', { data: { event_type: 7 } }, ['data.event_type']],
    ['an X Activity post event without a payload', { data: { event_type: 'post.mention.create', filter: { user_id: BRAND_ID } } }, ['data.payload']],
    ['filtered-stream matching_rules that is not a list', { data: { id: '1', text: 'x', author_id: '2' }, matching_rules: 'bags' }, ['matching_rules']],
    ['a filtered-stream post without text', { data: { id: '1', author_id: '2' }, matching_rules: [] }, ['data.text']],
  ])('refuses %s, naming the field', (_, body, paths) => {
    expect(issuesOf(() => parseJson(body)).map((issue) => issue.path)).toEqual(paths);
  });

  it('takes a post as long as X Premium allows (25,000 characters)', () => {
    const text = `@SkyLarkAir ${'my bag is still missing. '.repeat(1000)}`.slice(0, 25_000);
    const long = tweet({ truncated: true, extended_tweet: { full_text: text } });
    expect(parseJson({ for_user_id: BRAND_ID, tweet_create_events: [long] }).posts[0]!.post.text).toBe(text);
  });

  it('refuses a post longer than any X post can be, naming the X field it came from', () => {
    const long = tweet({ truncated: true, extended_tweet: { full_text: `@SkyLarkAir ${'my bag is still missing. '.repeat(1100)}` } });
    expect(issuesOf(() => parseJson({ for_user_id: BRAND_ID, tweet_create_events: [long] }))).toEqual([
      { path: 'tweet_create_events.0.extended_tweet.full_text', message: expect.stringMatching(/25000/) },
    ]);
  });

  it('refuses a post that mentions more accounts than the contract holds, naming the X field', () => {
    const mentions = Array.from({ length: 101 }, (_, index) => ({ id_str: String(index + 1), screen_name: `user${index}` }));
    const body = { for_user_id: BRAND_ID, tweet_create_events: [tweet({ entities: { user_mentions: mentions } })] };
    expect(issuesOf(() => parseJson(body)).map((issue) => issue.path)).toEqual(['tweet_create_events.0.entities.user_mentions']);
  });

  it('counts the text limit after decoding, so escaped characters do not push a post over it', () => {
    const text = '&amp;'.repeat(2_500);
    expect(parseJson({ for_user_id: BRAND_ID, tweet_create_events: [tweet({ text })] }).posts[0]!.post.text).toBe('&'.repeat(2_500));
  });

  it('lists a mentioned account once however often the post names it', () => {
    const mention = { id_str: BRAND_ID, screen_name: 'SkyLarkAir' };
    const body = { for_user_id: BRAND_ID, tweet_create_events: [tweet({ entities: { user_mentions: [mention, mention] } })] };
    expect(parseJson(body).posts[0]!.post.mentions).toEqual([{ id: BRAND_ID, handle: '@SkyLarkAir' }]);
  });

  it('treats X\'s no-language codes as no language hint', () => {
    for (const lang of ['und', 'zxx', 'qme', 'qht']) {
      expect(parseJson({ for_user_id: BRAND_ID, tweet_create_events: [tweet({ lang })] }).posts[0]!.post.languageHint).toBeUndefined();
    }
    expect(parseJson({ for_user_id: BRAND_ID, tweet_create_events: [tweet({ lang: 'pt' })] }).posts[0]!.post.languageHint).toBe('pt');
  });
});
