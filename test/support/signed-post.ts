import { Webhook } from 'standardwebhooks';

/** A post in our generic schema (v1), as a Standard Webhooks sender delivers it. */
export function genericPost(id: string, text: string, authorId = 'user-1'): string {
  return JSON.stringify({
    type: 'post.created',
    timestamp: new Date().toISOString(),
    data: { id, text, author: { id: authorId, handle: `@${authorId}` }, createdAt: new Date().toISOString() },
  });
}

/** Request headers signed with the reference Standard Webhooks library. */
export function signedHeaders(body: string, secret: string, webhookId = `msg_${Math.random().toString(36).slice(2)}`): Record<string, string> {
  const now = new Date();
  return {
    'content-type': 'application/json',
    'webhook-id': webhookId,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(webhookId, now, body),
  };
}

/** Polls until `read` returns something, or fails after `timeoutMs`. */
export async function eventually<T>(read: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`nothing after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
