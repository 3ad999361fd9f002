import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#infra/local/start';
import { startTestStack } from '#test/support/local-stack';
import { signMetaBody } from '#platforms/meta/signature';
import { signStandardWebhook } from '#platforms/standard-webhooks/signature';
import { signXBody } from '#platforms/x/signature';
import { genericPost, signedHeaders } from '#test/support/signed-post';

// Each platform as it calls us: X's CRC and signed deliveries, Meta's verification and signed
// batches, Standard Webhooks senders; and what a forger, a replayer or a broken sender gets.
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));

let stack: LocalStack;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'redress-platforms-'));
  stack = await startTestStack({ dataDir, scheduleIntervalSeconds: 3600 });
});
afterAll(() => stack?.stop());

const post = (platform: string, body: Buffer | string, headers: Record<string, string>) =>
  fetch(`${stack.url}/webhooks/${platform}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
const xHeaders = (body: Buffer | string, secret = stack.secrets.X_CONSUMER_SECRET) => ({ 'x-twitter-webhooks-signature': signXBody(body, secret) });
const metaHeaders = (body: Buffer | string, secret = stack.secrets.META_APP_SECRET) => ({ 'x-hub-signature-256': signMetaBody(body, secret) });

async function archived(): Promise<Array<{ 'detail-type': string; detail: Record<string, unknown> }>> {
  await stack.bus.drain();
  return readFileSync(path.join(dataDir, 'events.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
}
/** How many times a post was handed on: its Post.Classified events in the archive. */
const handedOn = async (postId: string) =>
  (await archived()).filter((event) => event['detail-type'] === 'Post.Classified' && (event.detail.post as { id: string }).id === postId).length;

describe('X', () => {
  it('answers the CRC check with the token X computes from the consumer secret', async () => {
    const token = 'bWFkZS11cC10b2tlbi1mb3ItdGhlLXRlc3Q';
    const response = await fetch(`${stack.url}/webhooks/x?crc_token=${token}&nonce=MTcwMDAwMDAwMDAwMA`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const expected = `sha256=${createHmac('sha256', stack.secrets.X_CONSUMER_SECRET).update(token).digest('base64')}`;
    expect(await response.json()).toEqual({ response_token: expected });
  });

  it('refuses to sign a CRC token shaped like a body (the check would be a signing oracle)', async () => {
    const response = await fetch(`${stack.url}/webhooks/x?crc_token=${encodeURIComponent('{"tweet_create_events":[]}')}`);
    expect(response.status).toBe(400);
  });

  it('hands on a signed mention as a ticket-bound post, and its retry as a duplicate', async () => {
    const body = fixture('x/aaa-tweet-mention.json');
    const first = await post('x', body, xHeaders(body));
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ accepted: 1, queues: { delays: 1 } });
    const retry = await post('x', body, xHeaders(body));
    expect(await retry.json()).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(await handedOn('2124068481790903089')).toBe(1);
  });

  it("acknowledges the brand's own tweets and events it does not handle without handing anything on", async () => {
    for (const name of ['x/aaa-tweet-own.json', 'x/aaa-favorite.json', 'x/aaa-replay-job-status.json']) {
      const body = fixture(name);
      const response = await post('x', body, xHeaders(body));
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ accepted: 0, ignored: expect.any(Number) });
    }
  });
});

describe('Meta', () => {
  it("echoes hub.challenge to a verification request that carries our verify token, and refuses any other", async () => {
    const verify = (token: string) =>
      fetch(`${stack.url}/webhooks/meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${encodeURIComponent(token)}`);
    const ok = await verify(stack.secrets.META_VERIFY_TOKEN);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    expect((await verify('a-guess')).status).toBe(403);
  });

  it('hands on every change of a signed Page feed batch as its own post, records removals, ignores the rest', async () => {
    const body = fixture('meta/page-feed-batch.json');
    const response = await post('meta', body, metaHeaders(body));
    expect(response.status).toBe(200);
    const outcome = (await response.json()) as { accepted: number; removals: number; ignored: number };
    expect(outcome.accepted).toBeGreaterThanOrEqual(4);
    expect(outcome.removals).toBe(1);
    expect(outcome.ignored).toBeGreaterThanOrEqual(2);
    const events = await archived();
    expect(events.filter((event) => event['detail-type'] === 'Post.Removed')).toHaveLength(1);
  });

  it('verifies Messenger deliveries in escaped-unicode JSON over their raw bytes', async () => {
    const body = fixture('meta/messenger-messages.json');
    const response = await post('meta', body, metaHeaders(body));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ accepted: expect.any(Number) });
  });
});

describe('what a forger, a replayer or a broken sender gets', () => {
  it('401 for a body changed by one byte, and nothing handed on', async () => {
    const body = Buffer.from(readFileSync(path.join(FIXTURES, 'x/aaa-tweet-reply.json')));
    const headers = xHeaders(body);
    const position = body.indexOf('"text"') + 10;
    body[position] = body[position]! ^ 1;
    const response = await post('x', body, headers);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'unauthorized' });
    expect(await handedOn(JSON.parse(fixture('x/aaa-tweet-reply.json').toString()).tweet_create_events[0].id_str)).toBe(0);
  });

  it('401 for a Meta batch signed with another app secret', async () => {
    const body = fixture('meta/instagram-comments-instagram-login.json');
    const response = await post('meta', body, metaHeaders(body, 'not-our-app-secret'));
    expect(response.status).toBe(401);
  });

  it('401 for a Standard Webhooks delivery replayed after its 5-minute window, and nothing handed on', async () => {
    const body = genericPost('replayed-1', 'My flight was cancelled');
    const headers = signedHeaders(body, stack.secrets.WEBHOOK_SECRETS);
    const stale = String(Number(headers['webhook-timestamp']) - 301);
    // A genuinely signed delivery from 301 s ago, as a replayer who captured it would hold it.
    const captured = {
      ...headers,
      'webhook-timestamp': stale,
      'webhook-signature': signStandardWebhook({ id: headers['webhook-id']!, timestamp: Number(stale), body, secret: stack.secrets.WEBHOOK_SECRETS }),
    };
    const response = await post('generic', body, captured);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ message: expect.stringMatching(/too old/) });
    expect(await handedOn('replayed-1')).toBe(0);
  });

  it('400 naming the problem for a signed body that is not JSON, and for one of an unknown shape', async () => {
    const notJson = Buffer.from('{"object":"page","entry":[');
    const broken = await post('meta', notJson, metaHeaders(notJson));
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ message: expect.stringMatching(/^the Meta delivery is not valid JSON/) });
    const unknown = Buffer.from('{"object":"page","entry":"soon"}');
    const shape = await post('meta', unknown, metaHeaders(unknown));
    expect(shape.status).toBe(400);
    expect(await shape.json()).toMatchObject({ fields: [expect.objectContaining({ path: 'entry' })] });
  });

  it('413 for a body over the platform limit, before anything reads it', async () => {
    const body = Buffer.from(JSON.stringify({ for_user_id: '1', tweet_create_events: [], pad: 'x'.repeat(1024 * 1024) }));
    const response = await post('x', body, xHeaders(body));
    expect(response.status).toBe(413);
  });

  it('405 for a method a webhook does not take, naming the ones it does', async () => {
    const response = await fetch(`${stack.url}/webhooks/meta`, { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, POST');
  });
});
