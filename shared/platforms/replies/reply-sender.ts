import type { SocialPost } from '#contracts/social-post';
import { ReplyRejectedError, ReplyUnavailableError, type SentReply } from '#domain/replies/reply-errors';

/** Where replies go and with which credentials (shared/adapters/secrets.ts reads them). */
export interface ReplyChannels {
  /** X API v2 base, `https://api.x.com` in production (X_API_BASE_URL). */
  xBaseUrl: string;
  /** Graph API base with its version, `https://graph.facebook.com/v25.0` in production (META_GRAPH_BASE_URL). */
  graphBaseUrl: string;
  credentials(): Promise<ReplyCredentials>;
  /** The HTTP client; `fetch` by default. */
  fetch?: typeof fetch;
  /** Per request, then it counts as a failure the platform may not have seen (default 10 s). */
  timeoutMs?: number;
}

export interface ReplyCredentials {
  /** An OAuth 2.0 user access token of the brand's X account (`tweet.write`, `dm.write`). */
  xAccessToken: string;
  /** A Page access token of the brand's Facebook Page (also used for its Instagram account and Messenger). */
  metaPageAccessToken: string;
}

interface PlannedCall {
  url: string;
  /** A JSON body, or a form body (Graph comment calls take their fields as form parameters). */
  json?: Record<string, unknown>;
  form?: Record<string, string>;
  token: string;
  /** Reads the platform's id for the reply out of its answer. */
  idOf(body: unknown): string | undefined;
  platform: string;
}

/**
 * Sends an agent's reply under the customer's post, the way each platform's API takes it
 * (../shared/specs/webhooks.md §5): an X reply or DM, a Facebook comment reply, an Instagram
 * comment reply, a Messenger message. Failures are sorted into for-good (ReplyRejectedError)
 * and try-again (ReplyUnavailableError).
 */
export function createReplySender(channels: ReplyChannels) {
  const doFetch = channels.fetch ?? fetch;
  const timeoutMs = channels.timeoutMs ?? 10_000;

  return {
    async send(post: SocialPost, text: string): Promise<SentReply> {
      const call = plan(post, text, await channels.credentials(), channels);
      const headers: Record<string, string> = { authorization: `Bearer ${call.token}`, accept: 'application/json' };
      let body: string;
      if (call.json) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(call.json);
      } else {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = new URLSearchParams(call.form).toString();
      }
      let response: Response;
      try {
        response = await doFetch(call.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        const code = ((error as { cause?: { code?: unknown } }).cause?.code ?? '') as string;
        // No connection was made: the platform never saw it. Otherwise we cannot tell.
        const unreached = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'].includes(code);
        const why = (error as Error).name === 'TimeoutError' ? `no answer in ${timeoutMs} ms` : code || (error as Error).message;
        throw new ReplyUnavailableError(`${call.platform} could not be reached (${why})`, !unreached);
      }
      const answer = await response.text();
      let parsed: unknown;
      try {
        parsed = answer ? JSON.parse(answer) : undefined;
      } catch {
        parsed = undefined;
      }
      if (response.ok) {
        const platformId = call.idOf(parsed);
        if (!platformId) throw new ReplyUnavailableError(`${call.platform} answered ${response.status} without the id of the reply`, true);
        return { platformId };
      }
      const detail = errorDetail(parsed) ?? (answer.slice(0, 200) || response.statusText);
      // Graph reports throttling and passing trouble with a 400 or 403 and a code, not a 429.
      if (graphSaysTryLater(parsed)) throw new ReplyUnavailableError(`${call.platform} asked to try later (${response.status}): ${detail}`, false, retryAfter(response));
      if (response.status === 429 || response.status === 408 || response.status >= 500) {
        // 429, 408 and 503 say the request was not taken; after any other 5xx the post may exist.
        const maybeDelivered = response.status >= 500 && response.status !== 503;
        throw new ReplyUnavailableError(`${call.platform} answered ${response.status}: ${detail}`, maybeDelivered, retryAfter(response));
      }
      throw new ReplyRejectedError(`${call.platform} refused the reply (${response.status}): ${detail}`);
    },
  };
}

export type ReplySender = ReturnType<typeof createReplySender>;

function plan(post: SocialPost, text: string, credentials: ReplyCredentials, channels: ReplyChannels): PlannedCall {
  const graph = (path: string, form: Record<string, string>): PlannedCall => ({
    url: `${channels.graphBaseUrl.replace(/\/$/, '')}/${path}`,
    form,
    token: credentials.metaPageAccessToken,
    idOf: (body) => stringField(body, 'id') ?? stringField(body, 'message_id'),
    platform: post.platform === 'instagram' ? 'Instagram' : post.platform === 'messenger' ? 'Messenger' : 'Facebook',
  });
  const id = encodeURIComponent(post.id);
  switch (post.platform) {
    case 'x': {
      const x = channels.xBaseUrl.replace(/\/$/, '');
      if (post.kind === 'direct_message') {
        return {
          url: `${x}/2/dm_conversations/with/${encodeURIComponent(post.author.id)}/messages`,
          json: { text },
          token: credentials.xAccessToken,
          idOf: (body) => stringField(dataOf(body), 'dm_event_id'),
          platform: 'X',
        };
      }
      if (!/^[0-9]{1,19}$/.test(post.id)) throw new ReplyRejectedError(`X post id "${post.id}" is not one X can reply to (digits only)`);
      return {
        url: `${x}/2/tweets`,
        json: { text, reply: { in_reply_to_tweet_id: post.id } },
        token: credentials.xAccessToken,
        idOf: (body) => stringField(dataOf(body), 'id'),
        platform: 'X',
      };
    }
    case 'facebook':
      // A comment gets a comment reply; a visitor post on the Page gets a comment.
      return graph(`${id}/comments`, { message: text });
    case 'instagram':
      if (post.kind === 'direct_message') {
        if (!post.brandAccountId) throw new ReplyRejectedError('an Instagram message needs the account it reached to be answered');
        return {
          ...graph(`${encodeURIComponent(post.brandAccountId)}/messages`, {}),
          form: undefined,
          json: { recipient: { id: post.author.id }, message: { text } },
        };
      }
      if (post.kind === 'mention') {
        if (!post.brandAccountId || !post.threadId) throw new ReplyRejectedError('an Instagram mention needs the brand account and the media id to be answered');
        // A mention in a caption has the media's own id; only one in a comment names a comment.
        const fields: Record<string, string> = { media_id: post.threadId, message: text };
        if (post.id !== post.threadId) fields.comment_id = post.id;
        return graph(`${encodeURIComponent(post.brandAccountId)}/mentions`, fields);
      }
      return graph(`${id}/replies`, { message: text });
    case 'messenger':
      if (!post.brandAccountId) throw new ReplyRejectedError('a Messenger message needs the Page id it reached to be answered');
      return {
        ...graph(`${encodeURIComponent(post.brandAccountId)}/messages`, {}),
        form: undefined,
        // The customer wrote first (that is how the ticket began), so this is a RESPONSE (§5.4).
        json: { recipient: { id: post.author.id }, messaging_type: 'RESPONSE', message: { text } },
      };
    case 'generic':
      throw new ReplyRejectedError(`posts from ${post.source ?? 'a Standard Webhooks sender'} have no reply API; answer the customer there`);
  }
}

function dataOf(body: unknown): unknown {
  return typeof body === 'object' && body !== null ? (body as { data?: unknown }).data : undefined;
}

function stringField(body: unknown, field: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[field];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** X: `{ title, detail }` or `{ errors: [{ message }] }`; Graph: `{ error: { message } }`. */
function errorDetail(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as { detail?: unknown; title?: unknown; errors?: Array<{ message?: unknown }>; error?: { message?: unknown } };
  const candidates = [record.detail, record.error?.message, record.errors?.[0]?.message, record.title];
  return candidates.find((candidate): candidate is string => typeof candidate === 'string');
}

/** Graph's rate-limit codes (4 app, 17 user, 32 Page, 613 calls within a time) and errors it marks transient. */
const GRAPH_TRY_LATER_CODES = new Set([4, 17, 32, 613]);

function graphSaysTryLater(body: unknown): boolean {
  const error = typeof body === 'object' && body !== null ? (body as { error?: { code?: unknown; is_transient?: unknown } }).error : undefined;
  return error !== undefined && (error.is_transient === true || (typeof error.code === 'number' && GRAPH_TRY_LATER_CODES.has(error.code)));
}

function retryAfter(response: Response): number | undefined {
  const header = response.headers.get('retry-after');
  if (header && /^\d+$/.test(header)) return Number(header);
  const reset = response.headers.get('x-rate-limit-reset');
  if (reset && /^\d+$/.test(reset)) return Math.max(0, Number(reset) - Math.floor(Date.now() / 1000));
  return undefined;
}
