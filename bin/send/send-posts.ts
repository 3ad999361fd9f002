import { splitSecretList } from '#adapters/secrets';
import { devSecret, type DevSecretName } from '#infra/local/dev-secrets';
import { buildDelivery, DEFAULT_BRANDS, type Brand, type Delivery, type OutgoingPost, type PlatformName } from './deliveries.ts';
import { createSender, runPaced, runPool, type Sender } from './load.ts';
import type { PostInput } from './read-posts.ts';
import { Tally, type SendSummary } from './summary.ts';

export interface SendOptions {
  url: string;
  platform: PlatformName;
  posts: readonly PostInput[];
  /** Input lines that could not be read, counted in the summary. */
  invalid?: number;
  /** Requests in flight at once (default 8); with `rate`, the most in flight at once. */
  concurrency?: number;
  /**
   * Deliveries started per second on a fixed schedule, answered or not (an open loop); latency is
   * then counted from when each request was due. Without it, `concurrency` requests are kept in
   * flight (a closed loop).
   */
  rate?: number;
  /** Copies of each delivery, same bytes and headers, sent side by side (default 1). */
  duplicates?: number;
  /** Meta only: posts per delivery, each a separate change (default 1). */
  batch?: number;
  timeoutMs?: number;
  /** The account posts reach; each platform has a default. */
  brand?: Brand;
  /** The signing secret; by default the platform's secret from the environment, or its dev default. */
  secret?: string;
  onProgress?: (progress: SendProgress) => void;
  now?: () => Date;
  /** The HTTP client; by default keep-alive connections to `url`. Tests pass one that needs no network. */
  sender?: Sender;
}

export interface SendProgress {
  /** Requests to make in all. */
  total: number;
  sent: number;
  accepted: number;
  failed: number;
  elapsedMs: number;
  /** Deliveries due per second, when sending at a fixed rate. */
  rate?: number;
}

export const SEND_DEFAULTS = { concurrency: 8, duplicates: 1, batch: 1, timeoutMs: 10_000 } as const;

const SECRET_OF: Record<PlatformName, DevSecretName> = {
  generic: 'WEBHOOK_SECRETS',
  x: 'X_CONSUMER_SECRET',
  meta: 'META_APP_SECRET',
};

/**
 * Delivers `posts` to a running stack as the platform would: each delivery built and signed just
 * before its first copy goes out (at a fixed rate, at most one interval before), so a long run never
 * sends a stale Standard Webhooks timestamp; its copies queued next to each other so that they are
 * in flight at the same time (and, at a fixed rate, due at the same instant).
 */
export async function sendPosts(options: SendOptions): Promise<SendSummary> {
  const { platform, url } = options;
  const concurrency = options.concurrency ?? SEND_DEFAULTS.concurrency;
  const duplicates = options.duplicates ?? SEND_DEFAULTS.duplicates;
  const { rate } = options;
  const batch = platform === 'meta' ? (options.batch ?? SEND_DEFAULTS.batch) : 1;
  const now = options.now ?? (() => new Date());
  const secret = options.secret ?? firstSecret(SECRET_OF[platform]);
  const brand = { ...DEFAULT_BRANDS[platform], ...options.brand };
  const runId = now().getTime().toString(36);

  const groups: OutgoingPost[][] = [];
  options.posts.forEach((input, index) => {
    if (index % batch === 0) groups.push([]);
    groups.at(-1)!.push(outgoingPost(input, `send-${runId}-${index + 1}`, index + 1, now));
  });
  const total = groups.length * duplicates;

  function* requests(): Generator<Delivery> {
    for (const posts of groups) {
      const delivery = buildDelivery(platform, posts, { secret, brand, now: now() });
      for (let copy = 0; copy < duplicates; copy++) yield delivery;
    }
  }

  const sender = options.sender ?? createSender({ url, timeoutMs: options.timeoutMs ?? SEND_DEFAULTS.timeoutMs, maxSockets: concurrency });
  const tally = new Tally();
  const started = performance.now();
  const progress = () =>
    options.onProgress?.({
      total,
      sent: tally.sent,
      accepted: tally.accepted,
      failed: tally.failed,
      elapsedMs: performance.now() - started,
      ...(rate === undefined ? {} : { rate }),
    });
  let maxBehindMs = 0;
  let lastWrittenMs = 0;
  try {
    if (rate === undefined) {
      await runPool(requests(), concurrency, async (delivery) => {
        tally.record(await sender.send(delivery));
        progress();
      });
    } else {
      await runPaced(requests(), { perSecond: rate, together: duplicates, concurrency }, async (delivery, dueAt) => {
        // A platform does not wait for us before sending the next delivery: a request that went out
        // late (all slots busy, or this process busy) was late for the platform too, so its latency
        // counts from when it was due, not from when it was written (no coordinated omission).
        const writtenAt = performance.now();
        const behindMs = Math.max(0, writtenAt - dueAt);
        maxBehindMs = Math.max(maxBehindMs, behindMs);
        lastWrittenMs = Math.max(lastWrittenMs, writtenAt - started);
        const outcome = await sender.send(delivery);
        tally.record({ ...outcome, ms: behindMs + outcome.ms });
        progress();
      });
    }
  } finally {
    sender.close();
  }
  const durationMs = performance.now() - started;
  return tally.summary({
    platform,
    url,
    posts: options.posts.length,
    invalid: options.invalid ?? 0,
    durationMs,
    // Achieved: deliveries over the time they took to go out, the last one's interval included, so
    // a schedule kept to the letter gives the asked rate (the last answers are in durationMs).
    ...(rate === undefined ? {} : { rate: { askedPerSecond: rate, achievedPerSecond: tally.sent / duplicates / (lastWrittenMs / 1000 + 1 / rate), maxBehindMs } }),
  });
}

/** Fills in what a line may leave out; a post without a time was written just now. */
function outgoingPost(input: PostInput, fallbackId: string, position: number, now: () => Date): OutgoingPost {
  const post: OutgoingPost = {
    id: input.id ?? fallbackId,
    text: input.text,
    author: input.author ?? { id: `${fallbackId}-author`, handle: `@customer${position}` },
    createdAt: input.createdAt === undefined ? now() : new Date(input.createdAt),
  };
  if (input.language !== undefined) post.language = input.language;
  if (input.inReplyTo !== undefined) post.inReplyTo = input.inReplyTo;
  return post;
}

/** The current secret of a list (the first; the others are still accepted while a secret rotates). */
function firstSecret(name: DevSecretName): string {
  const [first] = splitSecretList(devSecret(name));
  if (!first) throw new Error(`${name} is empty; set it to the secret the stack verifies with`);
  return first;
}
