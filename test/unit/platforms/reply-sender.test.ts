// Contract tests for sending an agent's reply (../shared/specs/webhooks.md §5), against the fake
// platform on 127.0.0.1: what each platform receives, and how its answers are sorted into
// "refused for good" and "try again".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SocialPost } from '#contracts/social-post';
import { ReplyRejectedError, ReplyUnavailableError } from '#domain/replies/reply-errors';
import { startFakePlatform, type FakePlatform, type ReceivedCall } from '#infra/local/fake-platform';
import { createReplySender, type ReplyChannels } from '#platforms/replies/reply-sender';
import { aSocialPost } from '#test/support/builders';

const X_TOKEN = 'x-oauth2-user-token-skylark';
const META_TOKEN = 'EAAGm0PX4ZCpsBA-page-token-skylark';
const X_BRAND_ID = '1600000000000000001';
const PAGE_ID = '104000000000001';
const IG_ACCOUNT_ID = '17841400000000001';
const TEXT = 'So sorry about the delay. We have rebooked you on SK 89 tomorrow at 08:10.';

let fake: FakePlatform;
const announced: string[] = [];

beforeAll(async () => {
  fake = await startFakePlatform({ port: 0, xAccessToken: X_TOKEN, metaPageAccessToken: META_TOKEN, onReply: (line) => announced.push(line) });
});

afterAll(async () => {
  await fake?.stop();
});

function senderFor(overrides: Partial<ReplyChannels> = {}) {
  return createReplySender({
    xBaseUrl: fake.xBaseUrl,
    graphBaseUrl: fake.graphBaseUrl,
    credentials: async () => ({ xAccessToken: X_TOKEN, metaPageAccessToken: META_TOKEN }),
    ...overrides,
  });
}

/** Runs `work` and returns what it settled to with the calls the fake received meanwhile. */
async function callsDuring<T>(work: () => Promise<T>): Promise<{ result: PromiseSettledResult<T>; calls: ReceivedCall[] }> {
  const before = fake.calls().length;
  const [result] = await Promise.allSettled([work()]);
  return { result: result!, calls: fake.calls().slice(before) };
}

async function sendAndCapture(post: SocialPost, text = TEXT, sender = senderFor()) {
  const { result, calls } = await callsDuring(() => sender.send(post, text));
  if (result.status === 'rejected') throw result.reason;
  expect(calls).toHaveLength(1);
  return { platformId: result.value.platformId, call: calls[0]! };
}

async function failureOf(post: SocialPost, sender = senderFor(), text = TEXT) {
  const { result, calls } = await callsDuring(() => sender.send(post, text));
  if (result.status === 'fulfilled') throw new Error(`expected the send to fail, it returned ${JSON.stringify(result.value)}`);
  return { error: result.reason as Error, calls };
}

const xMention = (overrides: Partial<SocialPost> = {}) =>
  aSocialPost({ platform: 'x', kind: 'mention', id: '1860000000000000001', author: { id: '1712004388315512832', handle: '@aiko_tnk' }, brandAccountId: X_BRAND_ID, source: undefined, ...overrides });
const facebookComment = (overrides: Partial<SocialPost> = {}) =>
  aSocialPost({ platform: 'facebook', kind: 'comment', id: `${PAGE_ID}_880000000000001`, threadId: `${PAGE_ID}_770000000000001`, author: { id: '6200000000000001' }, brandAccountId: PAGE_ID, source: undefined, ...overrides });
const messengerMessage = (overrides: Partial<SocialPost> = {}) =>
  aSocialPost({ platform: 'messenger', kind: 'direct_message', id: 'm_AbC123-xyz', threadId: '7300000000000001', author: { id: '7300000000000001' }, brandAccountId: PAGE_ID, source: undefined, ...overrides });

describe('what each platform receives', () => {
  const graphForm = 'application/x-www-form-urlencoded';
  const json = 'application/json';

  it.each([
    {
      name: 'an X mention gets a public reply to the post',
      post: xMention(),
      path: '/2/tweets',
      token: X_TOKEN,
      contentType: json,
      body: { text: TEXT, reply: { in_reply_to_tweet_id: '1860000000000000001' } },
      platformId: /^\d{19}$/,
    },
    {
      name: 'an X reply to the brand gets a public reply to that reply',
      post: xMention({ kind: 'reply', id: '1860000000000000002', inReplyToId: '1850000000000000000' }),
      path: '/2/tweets',
      token: X_TOKEN,
      contentType: json,
      body: { text: TEXT, reply: { in_reply_to_tweet_id: '1860000000000000002' } },
      platformId: /^\d{19}$/,
    },
    {
      name: 'an X direct message gets a direct message in the conversation with its author',
      post: xMention({ kind: 'direct_message', id: '1870000000000000001', author: { id: '1438201937465577472' } }),
      path: '/2/dm_conversations/with/1438201937465577472/messages',
      token: X_TOKEN,
      contentType: json,
      body: { text: TEXT },
      platformId: /^\d{19}$/,
    },
    {
      name: 'a Facebook comment gets a comment reply, as a form',
      post: facebookComment(),
      path: `/v25.0/${PAGE_ID}_880000000000001/comments`,
      token: META_TOKEN,
      contentType: graphForm,
      body: { message: TEXT },
      platformId: new RegExp(`^${PAGE_ID}_880000000000001_\\d{19}$`),
    },
    {
      name: 'a visitor post on the Facebook Page gets a comment',
      post: facebookComment({ kind: 'post', id: `${PAGE_ID}_770000000000002`, threadId: `${PAGE_ID}_770000000000002` }),
      path: `/v25.0/${PAGE_ID}_770000000000002/comments`,
      token: META_TOKEN,
      contentType: graphForm,
      body: { message: TEXT },
      platformId: new RegExp(`^${PAGE_ID}_770000000000002_\\d{19}$`),
    },
    {
      name: 'an Instagram comment gets a reply on its replies edge',
      post: aSocialPost({ platform: 'instagram', kind: 'comment', id: '17900000000000001', threadId: '17850000000000001', author: { id: '17841455555555555' }, brandAccountId: IG_ACCOUNT_ID, source: undefined }),
      path: '/v25.0/17900000000000001/replies',
      token: META_TOKEN,
      contentType: graphForm,
      body: { message: TEXT },
      platformId: /^17900000000000001_\d{19}$/,
    },
    {
      name: "an Instagram mention in a comment on someone else's media gets a reply through the brand account's mentions edge",
      post: aSocialPost({ platform: 'instagram', kind: 'mention', id: '17900000000000002', threadId: '17850000000000002', author: { id: '17900000000000002' }, text: '', brandAccountId: IG_ACCOUNT_ID, source: undefined }),
      path: `/v25.0/${IG_ACCOUNT_ID}/mentions`,
      token: META_TOKEN,
      contentType: graphForm,
      body: { media_id: '17850000000000002', comment_id: '17900000000000002', message: TEXT },
      platformId: new RegExp(`^${IG_ACCOUNT_ID}_\\d{19}$`),
    },
    {
      name: 'a Messenger message gets a RESPONSE message from the Page to its sender, as JSON',
      post: messengerMessage(),
      path: `/v25.0/${PAGE_ID}/messages`,
      token: META_TOKEN,
      contentType: json,
      body: { recipient: { id: '7300000000000001' }, messaging_type: 'RESPONSE', message: { text: TEXT } },
      platformId: /^m_\d{19}$/,
    },
  ])('$name', async ({ post, path, token, contentType, body, platformId }) => {
    const { platformId: id, call } = await sendAndCapture(post);

    expect(call).toMatchObject({ method: 'POST', path, query: {}, status: expect.any(Number) });
    expect(call.status).toBeGreaterThanOrEqual(200);
    expect(call.status).toBeLessThan(300);
    expect(call.headers.authorization).toBe(`Bearer ${token}`);
    expect(call.headers['content-type']).toBe(contentType);
    expect(call.body).toStrictEqual(body);
    expect(id).toMatch(platformId);
  });

  it('returns the id the platform gave the new reply', async () => {
    const { platformId } = await sendAndCapture(xMention({ id: '1860000000000000003' }));

    expect(announced.filter((line) => line.includes(platformId))).toEqual([expect.stringContaining('to post 1860000000000000003')]);
  });

  it('hands accents, emoji and other scripts to every platform unchanged', async () => {
    const text = 'Désolé, Zoë ! Ваш рейс перенесён ✈️ 😔 — 申し訳ございません 👩🏽‍✈️';
    for (const post of [xMention(), facebookComment(), messengerMessage()]) {
      const { call } = await sendAndCapture(post, text);
      const received = call.body as { text?: string; message?: string | { text: string } };
      const arrived = received.text ?? (typeof received.message === 'string' ? received.message : received.message?.text);
      expect(arrived, post.platform).toBe(text);
    }
  });

  it('reaches a Graph base given with a trailing slash at the same path', async () => {
    const { call } = await sendAndCapture(facebookComment(), TEXT, senderFor({ graphBaseUrl: `${fake.graphBaseUrl}/`, xBaseUrl: `${fake.xBaseUrl}/` }));

    expect(call.path).toBe(`/v25.0/${PAGE_ID}_880000000000001/comments`);
  });

  it('asks for the credentials at every send, so a rotated token is used at once', async () => {
    let token = 'an-old-x-token';
    const sender = senderFor({ credentials: async () => ({ xAccessToken: token, metaPageAccessToken: META_TOKEN }) });
    await expect(sender.send(xMention(), TEXT)).rejects.toBeInstanceOf(ReplyRejectedError);

    token = X_TOKEN;
    await expect(sender.send(xMention(), TEXT)).resolves.toEqual({ platformId: expect.stringMatching(/^\d{19}$/) });
  });
});

describe('what the platforms refuse for good', () => {
  it('reports X refusing an unknown token (401) with X’s message', async () => {
    const { error, calls } = await failureOf(xMention(), senderFor({ credentials: async () => ({ xAccessToken: 'revoked', metaPageAccessToken: META_TOKEN }) }));

    expect(error).toBeInstanceOf(ReplyRejectedError);
    expect(error.message).toBe('X refused the reply (401): Unauthorized');
    expect(calls.map((call) => call.status)).toEqual([401]);
  });

  it('reports the Graph API refusing a bad Page token (400) with its message', async () => {
    const { error, calls } = await failureOf(facebookComment(), senderFor({ credentials: async () => ({ xAccessToken: X_TOKEN, metaPageAccessToken: 'expired' }) }));

    expect(error).toBeInstanceOf(ReplyRejectedError);
    expect(error.message).toContain('Facebook refused the reply (400)');
    expect(error.message).toContain('Invalid OAuth access token - Cannot parse access token');
    expect(calls.map((call) => call.status)).toEqual([400]);
  });

  it('reports Messenger refusing a message without text (400) with its message', async () => {
    const { error } = await failureOf(messengerMessage(), senderFor(), '');

    expect(error).toBeInstanceOf(ReplyRejectedError);
    expect(error.message).toBe('Messenger refused the reply (400): (#100) recipient.id and message.text are required');
  });

  it('reports X refusing an empty reply (400)', async () => {
    const { error } = await failureOf(xMention(), senderFor(), '');

    expect(error).toBeInstanceOf(ReplyRejectedError);
    expect(error.message).toMatch(/^X refused the reply \(400\): /);
  });

  it('reports an X reply over 280 characters as refused (403)', async () => {
    const { error } = await failureOf(xMention(), senderFor(), 'a'.repeat(281));

    expect(error).toBeInstanceOf(ReplyRejectedError);
    expect(error.message).toBe('X refused the reply (403): Your Tweet text is too long.');
  });

  it('refuses a post from a Standard Webhooks sender without calling anything: it has no reply API', async () => {
    const { error, calls } = await failureOf(aSocialPost({ source: 'trustpilot' }));

    expect(error).toBeInstanceOf(ReplyRejectedError);
    expect(error.message).toContain('posts from trustpilot have no reply API');
    expect(calls).toEqual([]);
  });

  it.each(['not-a-number', '186000000000000000001', '18600000000000000 1'])('refuses an X post id %j without calling X: X takes digits only', async (id) => {
    const { error, calls } = await failureOf(xMention({ id }));

    expect(error).toBeInstanceOf(ReplyRejectedError);
    expect(error.message).toContain('digits only');
    expect(calls).toEqual([]);
  });

  it('refuses a Messenger message that does not say which Page it reached, without calling anything', async () => {
    const { error, calls } = await failureOf(messengerMessage({ brandAccountId: undefined }));

    expect(error).toBeInstanceOf(ReplyRejectedError);
    expect(error.message).toContain('Page id');
    expect(calls).toEqual([]);
  });

  it('refuses an Instagram mention without its media id, without calling anything', async () => {
    const mention = aSocialPost({ platform: 'instagram', kind: 'mention', id: '17900000000000003', author: { id: '17900000000000003' }, text: '', brandAccountId: IG_ACCOUNT_ID, source: undefined });
    const { error, calls } = await failureOf(mention);

    expect(error).toBeInstanceOf(ReplyRejectedError);
    expect(error.message).toContain('media id');
    expect(calls).toEqual([]);
  });
});

describe('what may succeed later', () => {
  it('reports X rate limiting (429) as not delivered, with the wait X asked for', async () => {
    fake.failNext(1, 429, { 'retry-after': '7' });
    const { error, calls } = await failureOf(xMention());

    expect(error).toBeInstanceOf(ReplyUnavailableError);
    expect(error).toMatchObject({ maybeDelivered: false, retryAfterSeconds: 7 });
    expect(error.message).toBe('X answered 429: Too Many Requests');
    expect(calls.map((call) => call.status)).toEqual([429]);
  });

  it('reports Graph rate limiting (429) as not delivered, with its message', async () => {
    fake.failNext(1, 429, { 'retry-after': '7' });
    const { error } = await failureOf(facebookComment());

    expect(error).toMatchObject({ name: 'ReplyUnavailableError', maybeDelivered: false, retryAfterSeconds: 7 });
    expect(error.message).toBe('Facebook asked to try later (429): (#4) Application request limit reached');
  });

  it('reports Graph throttling sent as a 400 with a rate-limit code (17: user request limit) as not delivered', async () => {
    const throttled = async () =>
      new Response(JSON.stringify({ error: { message: '(#17) User request limit reached', type: 'OAuthException', code: 17 } }), { status: 400 });
    const sender = createReplySender({ xBaseUrl: 'https://api.x.com', graphBaseUrl: 'https://graph.facebook.com/v25.0', credentials: async () => ({ xAccessToken: X_TOKEN, metaPageAccessToken: META_TOKEN }), fetch: throttled });

    await expect(sender.send(facebookComment(), TEXT)).rejects.toMatchObject({ name: 'ReplyUnavailableError', maybeDelivered: false });
  });

  it('reports 503 as not delivered: the platform says it did not take the request', async () => {
    fake.failNext(1, 503);
    const { error } = await failureOf(messengerMessage());

    expect(error).toBeInstanceOf(ReplyUnavailableError);
    expect(error).toMatchObject({ maybeDelivered: false, retryAfterSeconds: undefined });
  });

  it.each([500, 502])('reports %i as maybe delivered: the reply may exist on the platform', async (status) => {
    fake.failNext(1, status);
    const { error } = await failureOf(xMention());

    expect(error).toBeInstanceOf(ReplyUnavailableError);
    expect(error).toMatchObject({ maybeDelivered: true });
    expect(error.message).toContain(`X answered ${status}`);
  });

  it('reports a platform that does not answer in time as maybe delivered', async () => {
    fake.delayNext(1, 1_000);
    const { error, calls } = await failureOf(facebookComment(), senderFor({ timeoutMs: 50 }));

    expect(error).toBeInstanceOf(ReplyUnavailableError);
    expect(error).toMatchObject({ maybeDelivered: true });
    expect(error.message).toBe('Facebook could not be reached (no answer in 50 ms)');
    expect(calls).toHaveLength(1);
  });

  it('reports a refused connection as not delivered: nothing reached the platform', async () => {
    const closed = await startFakePlatform({ port: 0, xAccessToken: X_TOKEN, metaPageAccessToken: META_TOKEN });
    await closed.stop();
    const sender = senderFor({ xBaseUrl: closed.xBaseUrl, graphBaseUrl: closed.graphBaseUrl });

    const { error } = await failureOf(xMention(), sender);

    expect(error).toBeInstanceOf(ReplyUnavailableError);
    expect(error).toMatchObject({ maybeDelivered: false });
    expect(error.message).toBe('X could not be reached (ECONNREFUSED)');
  });
});

describe('answers only a stub can give', () => {
  /** A fetch that answers every call with `response`, recording what it was asked. */
  function stubFetch(answer: () => Response | Promise<Response>) {
    const requests: Array<{ url: string; init: RequestInit | undefined }> = [];
    const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
      requests.push({ url: String(url), init });
      return answer();
    }) as typeof globalThis.fetch;
    const sender = createReplySender({
      xBaseUrl: 'https://api.x.com',
      graphBaseUrl: 'https://graph.facebook.com/v25.0',
      credentials: async () => ({ xAccessToken: X_TOKEN, metaPageAccessToken: META_TOKEN }),
      fetch,
    });
    return { sender, requests };
  }

  it('sends to the production bases when configured with them', async () => {
    const { sender, requests } = stubFetch(() => Response.json({ data: { id: '1860000000000000999' } }, { status: 201 }));

    await expect(sender.send(xMention(), TEXT)).resolves.toEqual({ platformId: '1860000000000000999' });
    expect(requests.map((request) => [request.url, request.init?.method])).toEqual([['https://api.x.com/2/tweets', 'POST']]);
  });

  it.each([
    { name: 'X with no data', post: xMention(), answer: () => Response.json({}, { status: 201 }) },
    { name: 'X with an empty id', post: xMention(), answer: () => Response.json({ data: { id: '' } }, { status: 201 }) },
    { name: 'the Graph API with no body', post: facebookComment(), answer: () => new Response(null, { status: 200 }) },
    { name: 'the Graph API with a body that is not JSON', post: facebookComment(), answer: () => new Response('OK', { status: 200 }) },
    { name: 'Messenger with a numeric id', post: messengerMessage(), answer: () => Response.json({ message_id: 42 }) },
  ])('reports a 2xx from $name, without the id of the reply, as maybe delivered', async ({ post, answer }) => {
    const { sender } = stubFetch(answer);

    const error = await sender.send(post, TEXT).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ReplyUnavailableError);
    expect(error).toMatchObject({ maybeDelivered: true, message: expect.stringContaining('without the id of the reply') });
  });

  it('reads the wait from x-rate-limit-reset when X gives no Retry-After', async () => {
    const reset = Math.floor(Date.now() / 1000) + 30;
    const { sender } = stubFetch(() => Response.json({ title: 'Too Many Requests', detail: 'Too Many Requests' }, { status: 429, headers: { 'x-rate-limit-reset': String(reset) } }));

    const error = (await sender.send(xMention(), TEXT).catch((caught: unknown) => caught)) as ReplyUnavailableError;

    expect(error).toBeInstanceOf(ReplyUnavailableError);
    expect(error.maybeDelivered).toBe(false);
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(29);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(30);
  });

  it('reports 408 as not delivered', async () => {
    const { sender } = stubFetch(() => Response.json({ title: 'Request Timeout' }, { status: 408 }));

    await expect(sender.send(xMention(), TEXT)).rejects.toMatchObject({ name: 'ReplyUnavailableError', maybeDelivered: false });
  });

  it('reports a platform that answers with a page rather than JSON with the start of that page', async () => {
    const { sender } = stubFetch(() => new Response('<html>Bad Gateway</html>', { status: 502, statusText: 'Bad Gateway' }));

    await expect(sender.send(facebookComment(), TEXT)).rejects.toMatchObject({ maybeDelivered: true, message: 'Facebook answered 502: <html>Bad Gateway</html>' });
  });

  it.each([
    { code: 'ENOTFOUND', maybeDelivered: false },
    { code: 'EAI_AGAIN', maybeDelivered: false },
    { code: 'ECONNRESET', maybeDelivered: true },
  ])('reports a network failure $code with maybeDelivered $maybeDelivered', async ({ code, maybeDelivered }) => {
    const { sender } = stubFetch(() => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });
    });

    await expect(sender.send(xMention(), TEXT)).rejects.toMatchObject({ name: 'ReplyUnavailableError', maybeDelivered, message: `X could not be reached (${code})` });
  });
});

describe('replies the sender plans wrongly', () => {
  // Instagram DMs are normalised like Messenger ones (shared/platforms/meta/messaging.ts): the
  // answer is a message to the customer, not a reply on the `replies` edge of the message id.
  it('answers an Instagram direct message in the conversation, not as a comment reply on the message id', async () => {
    const dm = aSocialPost({ platform: 'instagram', kind: 'direct_message', id: 'aWdfZAG1faXRlbToxOklH', threadId: '17841455555555555', author: { id: '17841455555555555' }, brandAccountId: IG_ACCOUNT_ID, source: undefined });

    const { call } = await sendAndCapture(dm);

    expect(call.path).toBe(`/v25.0/${IG_ACCOUNT_ID}/messages`);
    expect(call.body).toMatchObject({ recipient: { id: '17841455555555555' }, message: { text: TEXT } });
  });

  // A mention in a media caption is normalised with the media id as its id (instagram.ts mapMention);
  // the mentions edge takes comment_id only for a mention in a comment (§5.3).
  it('answers an Instagram mention in a caption with media_id only, not with the media id as comment_id', async () => {
    const captionMention = aSocialPost({ platform: 'instagram', kind: 'mention', id: '17850000000000009', threadId: '17850000000000009', author: { id: '17850000000000009' }, text: '', brandAccountId: IG_ACCOUNT_ID, source: undefined });

    const { call } = await sendAndCapture(captionMention);

    expect(call.body).toStrictEqual({ media_id: '17850000000000009', message: TEXT });
  });
});
