import { describe, expect, it } from 'vitest';
import { SocialPost } from '#contracts/social-post';
import { ValidationError } from '#domain/errors';
import { metaPlatform } from '#platforms/meta/platform';
import { FIXTURES, INSTAGRAM_ACCOUNT_ID, PAGE_ID, feedBatch, fixture } from './meta-payloads.ts';

const NOW = new Date('2026-11-22T10:10:00Z');
const parse = (body: Buffer | string | object) =>
  metaPlatform.parse(Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), NOW);
const onPage = (changes: unknown[], time: unknown = 1_795_341_600) => ({ object: 'page', entry: [{ id: PAGE_ID, time, changes }] });
const feed = (value: Record<string, unknown>) => ({ field: 'feed', value });

const POST_ID = `${PAGE_ID}_1043227624498172`;
const COMMENT_ID = '1043227624498172_1261823348745061';

describe('Meta Page feed deliveries', () => {
  const delivery = parse(fixture('page-feed-batch.json'));
  const byKey = new Map(delivery.posts.map((incoming) => [incoming.dedupeKey, incoming.post]));

  it('turns a customer comment on a Page post into a facebook comment with its author, thread and permalink', () => {
    expect(byKey.get(`facebook:${COMMENT_ID}`)).toEqual({
      platform: 'facebook',
      kind: 'comment',
      id: COMMENT_ID,
      threadId: POST_ID,
      inReplyToId: POST_ID,
      author: { id: '7305924816124713', name: 'Amélie Durand' },
      text: 'Mon vol SK 1234 a été annulé et personne ne répond au téléphone 😡',
      createdAt: '2026-11-22T09:58:00.000Z',
      url: `https://www.facebook.com/${PAGE_ID}/posts/1043227624498172`,
      brandAccountId: PAGE_ID,
    });
  });

  it('marks a comment on another comment as a reply to that comment', () => {
    expect(byKey.get('facebook:1043227624498172_884391207715938')).toMatchObject({
      kind: 'reply',
      threadId: POST_ID,
      inReplyToId: COMMENT_ID,
      text: 'Same here, 3 hours at the gate in München <no announcement>',
    });
  });

  it('turns a visitor post on the Page into a facebook post', () => {
    expect(byKey.get(`facebook:${PAGE_ID}_1045581094262825`)).toMatchObject({
      kind: 'post',
      id: `${PAGE_ID}_1045581094262825`,
      threadId: `${PAGE_ID}_1045581094262825`,
      author: { id: '9912837465102938', name: 'Priya Nair' },
      text: 'Lost baggage on flight SK 451 — the desk at @LHR says to "check online" but the link is 404. 100% unacceptable.',
      createdAt: '2026-11-22T10:01:00.000Z',
    });
  });

  it('hands an edited comment on as the same post, with editedAt and a key of its own', () => {
    const edit = byKey.get(`facebook:${COMMENT_ID}:edited:1795341720`);
    expect(edit).toMatchObject({
      kind: 'comment',
      id: COMMENT_ID,
      text: 'Mon vol SK 1234 a été annulé, remboursement refusé !',
      editedAt: '2026-11-22T10:02:00.000Z',
    });
  });

  it('records a removed comment as a removal, not as a post', () => {
    expect(delivery.removals).toEqual([
      {
        platform: 'facebook',
        postId: '1043227624498172_3310928374650192',
        removedAt: '2026-11-22T10:02:00.000Z',
        brandAccountId: PAGE_ID,
        dedupeKey: 'facebook:1043227624498172_3310928374650192:removed',
      },
    ]);
  });

  it('hands on a photo-only comment with empty text, dated by its ISO created_time', () => {
    expect(byKey.get('facebook:1043227624498172_1198237465019283')).toMatchObject({
      kind: 'comment',
      text: '',
      author: { id: '5582019384756120', name: 'Tomás García' },
      createdAt: '2026-11-22T10:01:30.000Z',
    });
  });

  it("ignores the Page's own comment and a reaction, saying why", () => {
    expect(delivery.ignored).toEqual([
      { reason: 'entry 0 change 2: a feed comment written by the Page itself' },
      { reason: 'entry 0 change 3: feed item "reaction" is not something written on the Page' },
    ]);
  });

  it('accounts for every change of every entry exactly once', () => {
    expect(delivery.posts).toHaveLength(5);
    expect(delivery.posts.length + delivery.removals.length + delivery.ignored.length).toBe(8);
  });

  it('coerces the numeric ids of older payloads to strings and reads sender_id as the author', () => {
    const legacy = parse(fixture('page-feed-legacy.json'));
    expect(legacy.posts.map(({ post }) => [post.kind, post.id, post.author, post.brandAccountId])).toEqual([
      ['post', '1045581094262825', { id: '1440971912666228', name: 'Priya Nair' }, PAGE_ID],
      ['comment', '1045581094262825_771029384756102', { id: '4410293847561029', name: 'Luca Rossi' }, PAGE_ID],
    ]);
    expect(legacy.ignored).toEqual([{ reason: 'entry 0 change 2: feed item "like" is not something written on the Page' }]);
  });

  it('never rounds a numeric id beyond 2^53: the change is refused with the field named, the rest of the batch goes on', () => {
    const body = `{"object":"page","entry":[{"id":"${PAGE_ID}","time":1795341600,"changes":[{"field":"feed","value":{"item":"status","verb":"add","post_id":17841405726653026123,"from":{"id":"1"},"message":"hi"}},{"field":"feed","value":{"item":"status","verb":"add","post_id":"3_2","from":{"id":"1"},"message":"hello"}}]}]}`;
    const { posts, ignored } = parse(body);
    expect(posts.map(({ post }) => post.id)).toEqual(['3_2']);
    expect(ignored[0]!.reason).toMatch(/^entry 0 change 0: malformed feed status change: post_id: /);
  });

  it('takes a comment without a from as written by someone still to be looked up, never by the Page', () => {
    const { posts } = parse(onPage([feed({ item: 'comment', verb: 'add', comment_id: '1_2', post_id: '3_1', message: 'where is my bag' })]));
    expect(posts[0]!.post.author).toEqual({ id: 'unresolved:1_2' });
  });

  it('ignores verbs it does not know, such as hide', () => {
    const { ignored } = parse(onPage([feed({ item: 'comment', verb: 'hide', comment_id: '1_2', post_id: '3_1', from: { id: '9' } })]));
    expect(ignored).toEqual([{ reason: 'entry 0 change 0: feed verb "hide" is not handled' }]);
  });

  it('drops a permalink that is not an http(s) URL but keeps the post', () => {
    const value = { item: 'status', verb: 'add', post_id: '3_1', from: { id: '9' }, message: 'x', post: { permalink_url: 'javascript:alert(1)' } };
    const { posts } = parse(onPage([feed(value)]));
    expect(posts[0]!.post.url).toBeUndefined();
  });

  it('cuts a text longer than SocialPost allows instead of dropping the post', () => {
    const { posts } = parse(onPage([feed({ item: 'status', verb: 'add', post_id: '3_1', from: { id: '9' }, message: `${'a'.repeat(9_999)}😡` })]));
    expect(posts[0]!.post.text).toBe('a'.repeat(9_999));
  });
});

describe('Meta Instagram deliveries', () => {
  it('reads comment_id, as in the Facebook Login example, and makes a comment with a parent a reply', () => {
    const { posts, ignored } = parse(fixture('instagram-comments-facebook-login.json'));
    expect(posts).toEqual([
      {
        dedupeKey: 'instagram:17865799348089039',
        post: {
          platform: 'instagram',
          kind: 'comment',
          id: '17865799348089039',
          threadId: '18034567801234567',
          author: { id: '17841449182736455', handle: 'marie.voyage' },
          text: '@skylineair où est ma valise ? 5 jours sans nouvelles 😤',
          createdAt: '2026-11-22T10:00:00.000Z',
          brandAccountId: INSTAGRAM_ACCOUNT_ID,
        },
      },
      {
        dedupeKey: 'instagram:17912345678901234',
        post: expect.objectContaining({ kind: 'reply', id: '17912345678901234', inReplyToId: '17865799348089039', threadId: '18034567801234567' }),
      },
    ]);
    expect(ignored).toEqual([{ reason: 'entry 0 change 2: an instagram comment written by the account itself' }]);
  });

  it('reads id, as in Instagram Login payloads, for comments and live comments alike', () => {
    const { posts } = parse(fixture('instagram-comments-instagram-login.json'));
    expect(posts.map(({ post }) => [post.kind, post.id, post.threadId, post.author.handle, post.createdAt])).toEqual([
      ['comment', '17987654321098765', '18099887766554433', 'jetlag_jess', '2026-11-22T10:02:00.000Z'],
      ['comment', '17998877665544332', '18011223344556677', 'nomad.nico', '2026-11-22T10:02:05.000Z'],
    ]);
    expect(posts[0]!.post.text).toBe('Four hours on the tarmac at Gatwick and not one update 😤 @skylineair');
  });

  it('turns mentions into mention posts with no text, identified by the comment or else the media', () => {
    const { posts } = parse(fixture('instagram-mentions.json'));
    expect(posts).toEqual([
      {
        dedupeKey: 'instagram:17918195224117851',
        post: {
          platform: 'instagram',
          kind: 'mention',
          id: '17918195224117851',
          threadId: '17918195224117851',
          author: { id: 'unresolved:17918195224117851' },
          text: '',
          createdAt: '2026-11-22T10:00:00.000Z',
          brandAccountId: INSTAGRAM_ACCOUNT_ID,
        },
      },
      {
        dedupeKey: 'instagram:17894227972186120',
        post: expect.objectContaining({ kind: 'mention', id: '17894227972186120', threadId: '17918195224117851', text: '' }),
      },
    ]);
  });

  it('ignores Instagram fields it does not handle', () => {
    const delivery = { object: 'instagram', entry: [{ id: INSTAGRAM_ACCOUNT_ID, time: 1_795_341_600, changes: [{ field: 'story_insights', value: { media_id: '1' } }] }] };
    expect(parse(delivery).ignored).toEqual([{ reason: 'entry 0 change 0: instagram field "story_insights" is not handled' }]);
  });

  it('turns Instagram direct messages into instagram direct_message posts, dated by their millisecond timestamps', () => {
    const { posts, removals, ignored } = parse(fixture('instagram-messages.json'));
    expect(posts.map(({ post }) => [post.platform, post.kind, post.threadId, post.text, post.createdAt, post.inReplyToId])).toEqual([
      ['instagram', 'direct_message', '1130485927364758', 'my bag never arrived in Lisbon, file LIS-SK-48213', '2026-11-22T10:00:00.100Z', undefined],
      ['instagram', 'direct_message', '1130485927364758', 'this is me at the carousel 2h later', '2026-11-22T10:00:40.200Z', undefined],
    ]);
    expect(posts[0]!.dedupeKey).toBe(`instagram:${posts[0]!.post.id}`);
    expect(removals).toEqual([expect.objectContaining({ platform: 'instagram', postId: posts[0]!.post.id, dedupeKey: `instagram:${posts[0]!.post.id}:removed` })]);
    expect(ignored).toEqual([{ reason: 'entry 0 messaging 3: a messaging reaction event is not a message' }]);
  });
});

describe('Meta Messenger deliveries', () => {
  const { posts, ignored } = parse(fixture('messenger-messages.json'));

  it('turns a text message into a messenger direct_message in the conversation with its sender', () => {
    expect(posts[0]).toEqual({
      dedupeKey: 'messenger:m_AG5Hz2Uq7qDEXQ3sN4Xv2a1lGQz0d9l9K8V6J5h4g3f2e1d0c9b8a7',
      post: {
        platform: 'messenger',
        kind: 'direct_message',
        id: 'm_AG5Hz2Uq7qDEXQ3sN4Xv2a1lGQz0d9l9K8V6J5h4g3f2e1d0c9b8a7',
        threadId: '6745239184027361',
        author: { id: '6745239184027361' },
        text: 'Bonjour, mon vol SK 1234 est annulé. Je veux être remboursée.',
        createdAt: '2026-11-22T09:59:59.876Z',
        brandAccountId: PAGE_ID,
      },
    });
  });

  it('describes an attachment-only message in brackets', () => {
    expect(posts[1]!.post.text).toBe('[image]');
  });

  it('keeps the message a reply quotes as inReplyToId', () => {
    expect(posts[2]!.post).toMatchObject({ text: "Voilà ma carte d'embarquement", inReplyToId: 'm_AG5Hz2Uq7qDEXQ3sN4Xv2a1lGQz0d9l9K8V6J5h4g3f2e1d0c9b8a7' });
  });

  it('ignores echoes of our own sends, delivery receipts and read receipts', () => {
    expect(posts).toHaveLength(3);
    expect(ignored).toEqual([
      { reason: 'entry 2 messaging 0: an echo of a message the Page sent' },
      { reason: 'entry 2 messaging 1: a messaging delivery event is not a message' },
      { reason: 'entry 2 messaging 2: a messaging read event is not a message' },
    ]);
  });

  it('describes several attachments one by one, and unknown kinds as attachments', () => {
    const item = { sender: { id: '5' }, recipient: { id: PAGE_ID }, timestamp: 1_795_341_600_000, message: { mid: 'm_1', attachments: [{ type: 'video' }, { type: 'file' }, { type: 'Not A Type!' }, {}] } };
    const delivery = { object: 'page', entry: [{ id: PAGE_ID, time: 1_795_341_600_000, messaging: [item] }] };
    expect(parse(delivery).posts[0]!.post.text).toBe('[video] [file] [attachment] [attachment]');
  });

  it('ignores a postback, which is a button tap rather than a message', () => {
    const item = { sender: { id: '5' }, recipient: { id: PAGE_ID }, timestamp: 1_795_341_600_000, postback: { title: 'Talk to an agent', payload: 'AGENT' } };
    const delivery = { object: 'page', entry: [{ id: PAGE_ID, time: 1_795_341_600_000, messaging: [item] }] };
    expect(parse(delivery).ignored).toEqual([{ reason: 'entry 0 messaging 0: a messaging postback event is not a message' }]);
  });
});

describe('Meta batches', () => {
  it('hands on all 1,000 comments of a full batch, each under its own key', () => {
    const { posts, removals, ignored } = parse(feedBatch(1_000));
    expect(posts).toHaveLength(1_000);
    expect(removals).toEqual([]);
    expect(ignored).toEqual([]);
    expect(new Set(posts.map(({ dedupeKey }) => dedupeKey)).size).toBe(1_000);
    expect(posts[7]!.post.text).toBe('Vol 7 annulé, aucune réponse depuis 7 heures');
  });

  it('records one malformed change as ignored and hands on the rest of the batch', () => {
    const good = (n: number) => feed({ item: 'comment', verb: 'add', comment_id: `1_${n}`, post_id: '3_1', from: { id: `u${n}` }, message: `m${n}` });
    const broken = feed({ item: 'comment', verb: 'add', comment_id: '1_x', post_id: '3_1', from: { id: true }, message: 'x' });
    const { posts, ignored } = parse(onPage([good(1), broken, good(2)]));
    expect(posts.map(({ post }) => post.id)).toEqual(['1_1', '1_2']);
    expect(ignored).toEqual([{ reason: 'entry 0 change 1: malformed feed comment change: from.id: Invalid input' }]);
  });

  it('records a malformed entry as ignored and hands on the other entries', () => {
    const delivery = { object: 'page', entry: [{ time: 1_795_341_600, changes: [] }, onPage([feed({ item: 'status', verb: 'add', post_id: '3_1', from: { id: '9' }, message: 'x' })]).entry[0]] };
    const { posts, ignored } = parse(delivery);
    expect(posts).toHaveLength(1);
    expect(ignored).toHaveLength(1);
    expect(ignored[0]!.reason).toMatch(/^entry 0: malformed entry: id: /);
  });

  it('ignores objects, Page fields and standby items it does not handle, one reason per item', () => {
    const user = { object: 'user', entry: [{ id: '1', time: 1_795_341_600, changes: [{ field: 'email', value: {} }, { field: 'name', value: {} }] }] };
    expect(parse(user).ignored).toEqual([
      { reason: 'entry 0 change 0: object "user" is not handled' },
      { reason: 'entry 0 change 1: object "user" is not handled' },
    ]);
    expect(parse(onPage([{ field: 'ratings', value: {} }])).ignored).toEqual([{ reason: 'entry 0 change 0: page field "ratings" is not handled' }]);
    const standby = { object: 'page', entry: [{ id: PAGE_ID, time: 1_795_341_600_000, standby: [{ sender: { id: '5' } }] }] };
    expect(parse(standby).ignored).toEqual([{ reason: 'entry 0 standby 0: a standby item belongs to a conversation another app handles' }]);
    expect(parse({ object: 'page', entry: [{ id: PAGE_ID, time: 1 }] }).ignored).toEqual([{ reason: 'entry 0: an entry without changes or messaging' }]);
  });

  it('reads entry.time in seconds or milliseconds, and falls back to the receipt time without one', () => {
    const status = feed({ item: 'status', verb: 'add', post_id: '3_1', from: { id: '9' }, message: 'x' });
    expect(parse(onPage([status], 1_795_341_600)).posts[0]!.post.createdAt).toBe('2026-11-22T10:00:00.000Z');
    expect(parse(onPage([status], 1_795_341_600_000)).posts[0]!.post.createdAt).toBe('2026-11-22T10:00:00.000Z');
    expect(parse({ object: 'page', entry: [{ id: PAGE_ID, changes: [status] }] }).posts[0]!.post.createdAt).toBe(NOW.toISOString());
    expect(parse(onPage([status], 'yesterday')).posts[0]!.post.createdAt).toBe(NOW.toISOString());
  });

  it('hands on only posts that satisfy SocialPost, from every fixture', () => {
    for (const name of FIXTURES) {
      for (const { post } of parse(fixture(name)).posts) expect(SocialPost.safeParse(post).success, `${name}: ${post.id}`).toBe(true);
    }
  });
});

describe('Meta deliveries that are refused whole', () => {
  it('refuses a body that is not JSON', () => {
    expect(() => parse('object=page')).toThrow(ValidationError);
    expect(() => parse('object=page')).toThrow(/^the Meta delivery is not valid JSON: /);
  });

  it('refuses JSON nested too deeply to read', () => {
    expect(() => parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toThrow(ValidationError);
  });

  it.each([
    ['without object', { entry: [] }, ['object']],
    ['without entry', { object: 'page' }, ['entry']],
    ['with entry not a list', { object: 'page', entry: { id: '1' } }, ['entry']],
    ['with object not a string', { object: 7, entry: [] }, ['object']],
    ['that is a list', [], ['(root)']],
    ['that is null', null, ['(root)']],
  ])('refuses an envelope %s, naming the field', (_case, body, paths) => {
    let error: unknown;
    try {
      parse(JSON.stringify(body));
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toBe('the Meta delivery does not match the expected shape');
    expect((error as ValidationError).issues.map(({ path }) => path)).toEqual(paths);
  });
});
