import type { CorpusPost, DeliveryCopy } from './chaos-corpus.ts';
import { signedHeaders } from './signed-post.ts';

/**
 * Sends posts to the local stack's Standard Webhooks endpoint the way a platform does: at most
 * `concurrency` requests in flight, and a request that is not acknowledged (5xx, 409, a dropped
 * connection) sent again with the very same bytes and headers after a backoff, until it gets its
 * 200. Real senders retry for days (../shared/specs/webhooks.md §3); this is the same schedule
 * compressed, capped by `deadlineMs` per request. A request waiting out its backoff holds no
 * slot, so the others keep flowing meanwhile.
 */
export interface SendOptions {
  /** The stack's base URL. */
  url: string;
  /** A `whsec_` secret from WEBHOOK_SECRETS. */
  secret: string;
  concurrency: number;
  retry: { baseMs: number; maxMs: number; deadlineMs: number };
  /** Called after each acknowledged request with how many are acknowledged so far. */
  onAcknowledged?: (acknowledged: number) => void;
}

export interface SendReport {
  requests: number;
  /** Requests that ended with a 200. */
  acknowledged: number;
  /** Requests sent again after an answer that was not a 200. */
  retries: number;
  /** Answers by status (`network` for a dropped connection), retries included. */
  statuses: Record<string, number>;
  /** For each post, how many 200 answers said it was handed on now (`accepted`). */
  acceptedByPost: Map<string, number>;
  /** Milliseconds from a request's first send to its 200, sorted. */
  latenciesMs: number[];
  /** The request that took longest to get its 200, with its answers. */
  slowest?: { postId: string; deliveryId: string; ms: number; answers: string[] };
  /** Requests that never got a 200, with their answers (ms after the first send, status). */
  unacknowledged: Array<{ postId: string; deliveryId: string; last: string; answers: string[] }>;
}

/** A status worth sending again: the platform cannot know whether the post was taken. */
const retryable = (status: number) => status >= 500 || status === 409 || status === 429;

interface Request {
  copy: DeliveryCopy;
  attempts: number;
  answers: string[];
  firstSentAt?: number;
}

export function deliverAll(posts: ReadonlyMap<string, CorpusPost>, copies: readonly DeliveryCopy[], options: SendOptions): Promise<SendReport> {
  const report: SendReport = {
    requests: copies.length,
    acknowledged: 0,
    retries: 0,
    statuses: {},
    acceptedByPost: new Map(),
    latenciesMs: [],
    unacknowledged: [],
  };
  // One body and one set of headers per delivery, signed when it is first sent: its retries
  // resend exactly those bytes, as a platform does.
  const signed = new Map<string, { body: string; headers: Record<string, string> }>();
  const signedDelivery = (copy: DeliveryCopy) => {
    let delivery = signed.get(copy.deliveryId);
    if (!delivery) {
      const post = posts.get(copy.postId)!;
      const body = JSON.stringify({
        type: 'post.created',
        timestamp: new Date().toISOString(),
        data: { id: post.id, text: post.text, author: post.author, createdAt: post.createdAt },
      });
      delivery = { body, headers: signedHeaders(body, options.secret, copy.deliveryId) };
      signed.set(copy.deliveryId, delivery);
    }
    return delivery;
  };
  const count = (status: string) => (report.statuses[status] = (report.statuses[status] ?? 0) + 1);

  return new Promise((resolve) => {
    // Copies of one post are next to each other here, so they are in flight together.
    const ready: Request[] = copies.map((copy) => ({ copy, attempts: 0, answers: [] }));
    let inFlight = 0;
    let settled = 0;
    const finish = () => {
      settled += 1;
      if (settled === copies.length) {
        report.latenciesMs.sort((a, b) => a - b);
        resolve(report);
      }
    };
    const pump = () => {
      while (inFlight < options.concurrency && ready.length > 0) {
        const request = ready.shift()!;
        inFlight += 1;
        void attempt(request).finally(() => {
          inFlight -= 1;
          pump();
        });
      }
    };

    const attempt = async (request: Request) => {
      const { copy } = request;
      const { body, headers } = signedDelivery(copy);
      request.firstSentAt ??= Date.now();
      let last: string;
      try {
        const response = await fetch(`${options.url}/webhooks/generic`, { method: 'POST', headers, body });
        const text = await response.text();
        count(String(response.status));
        request.answers.push(`${Date.now() - request.firstSentAt} ms: ${response.status}`);
        if (response.status === 200) {
          const { accepted } = JSON.parse(text) as { accepted: number };
          report.acceptedByPost.set(copy.postId, (report.acceptedByPost.get(copy.postId) ?? 0) + accepted);
          report.acknowledged += 1;
          const ms = Date.now() - request.firstSentAt;
          report.latenciesMs.push(ms);
          if (!report.slowest || ms > report.slowest.ms) report.slowest = { postId: copy.postId, deliveryId: copy.deliveryId, ms, answers: request.answers };
          options.onAcknowledged?.(report.acknowledged);
          finish();
          return;
        }
        last = `${response.status} ${text.slice(0, 200)}`;
        if (!retryable(response.status)) {
          report.unacknowledged.push({ postId: copy.postId, deliveryId: copy.deliveryId, last, answers: request.answers });
          finish();
          return;
        }
      } catch (error) {
        count('network');
        request.answers.push(`${Date.now() - request.firstSentAt} ms: network error`);
        last = `network error: ${(error as Error).message}`;
      }
      if (Date.now() - request.firstSentAt >= options.retry.deadlineMs) {
        report.unacknowledged.push({ postId: copy.postId, deliveryId: copy.deliveryId, last, answers: request.answers });
        finish();
        return;
      }
      report.retries += 1;
      const backoff = Math.min(options.retry.maxMs, options.retry.baseMs * 2 ** request.attempts);
      request.attempts += 1;
      // Due retries go first, before posts not yet sent, as a platform's retry queue would.
      setTimeout(() => {
        ready.unshift(request);
        pump();
      }, backoff / 2 + (Math.random() * backoff) / 2);
    };

    if (copies.length === 0) resolve(report);
    pump();
  });
}
