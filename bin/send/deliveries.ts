import { createHash, randomUUID } from 'node:crypto';
import { signMetaBody } from '#platforms/meta/signature';
import { signStandardWebhook } from '#platforms/standard-webhooks/signature';
import { signXBody, X_SIGNATURE_HEADER } from '#platforms/x/signature';
import type { AuthorInput } from './read-posts.ts';

export const PLATFORMS = ['generic', 'x', 'meta'] as const;
export type PlatformName = (typeof PLATFORMS)[number];

/** A post with everything a platform payload needs filled in. */
export interface OutgoingPost {
  id: string;
  text: string;
  author: AuthorInput;
  createdAt: Date;
  language?: string;
  /** The id of the post this one answers, as the input gave it. */
  inReplyTo?: string;
}

/** The account the posts reach: an X user, a Facebook Page, or (generic) the `account` field. */
export interface Brand {
  id?: string;
  handle?: string;
}

export interface SigningContext {
  /** The platform's signing secret: a `whsec_` value, X's consumer secret or Meta's app secret. */
  secret: string;
  brand: Brand;
  /** When the delivery is sent: signature timestamps and notification times. */
  now: Date;
}

/** One HTTP request as the platform makes it; copies of a delivery reuse these exact bytes and headers. */
export interface Delivery {
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  posts: number;
}

export const DEFAULT_BRANDS: Record<PlatformName, Brand> = {
  generic: {},
  x: { id: '1589023440915492864', handle: 'RedressAir' },
  meta: { id: '102938475610293' },
};

/** Builds one delivery of `posts`; only Meta carries more than one post per delivery. */
export function buildDelivery(platform: PlatformName, posts: readonly OutgoingPost[], context: SigningContext): Delivery {
  const [first] = posts;
  if (!first) throw new Error('a delivery needs at least one post');
  if (platform === 'meta') return metaDelivery(posts, context);
  if (posts.length > 1) throw new Error(`${platform} delivers one post per request`);
  return platform === 'x' ? xDelivery(first, context) : genericDelivery(first, context);
}

/** Our schema v1 over Standard Webhooks (README "Sending posts from any source"; ../shared/specs/webhooks.md §3). */
export function genericDelivery(post: OutgoingPost, { secret, brand, now }: SigningContext): Delivery {
  const body = Buffer.from(
    JSON.stringify({
      type: 'post.created',
      timestamp: now.toISOString(),
      data: {
        id: post.id,
        text: post.text,
        author: post.author,
        createdAt: post.createdAt.toISOString(),
        ...(post.inReplyTo === undefined ? {} : { kind: 'reply', inReplyToId: post.inReplyTo }),
        ...(post.language === undefined ? {} : { language: post.language }),
        ...(brand.id === undefined ? {} : { account: brand.id }),
      },
    }),
  );
  // Unique per delivery and kept by every copy, as a sender's retries keep it (§3).
  const id = `msg_${randomUUID().replaceAll('-', '')}`;
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    path: '/webhooks/generic',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signStandardWebhook({ id, timestamp, body, secret }),
    },
    body,
    posts: 1,
  };
}

/**
 * An Account Activity delivery of one @mention of the brand (../shared/specs/webhooks.md §1.5):
 * a v1.1 tweet whose numeric `id` fields are JSON numbers above 2^53, as X writes them.
 */
export function xDelivery(post: OutgoingPost, { secret, brand }: SigningContext): Delivery {
  const brandId = brand.id ?? DEFAULT_BRANDS.x.id!;
  const brandHandle = screenName(brand.handle ?? DEFAULT_BRANDS.x.handle!, brandId);
  const id = xId(post.id, 'post');
  const userId = xId(post.author.id, 'user');
  const handle = screenName(post.author.handle ?? post.author.id, userId);
  const mention = `@${brandHandle}`;
  // A reply answers a post of the brand's (an agent's reply, say), so it is addressed to the brand.
  const repliedTo = post.inReplyTo === undefined ? null : xId(post.inReplyTo, 'post');
  const tweet = {
    created_at: twitterDate(post.createdAt),
    id: BigInt(id),
    id_str: id,
    text: `${mention} ${escapeTweetText(post.text)}`,
    source: '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
    truncated: false,
    in_reply_to_status_id: repliedTo === null ? null : BigInt(repliedTo),
    in_reply_to_status_id_str: repliedTo,
    in_reply_to_user_id: repliedTo === null ? null : BigInt(brandId),
    in_reply_to_user_id_str: repliedTo === null ? null : brandId,
    in_reply_to_screen_name: repliedTo === null ? null : brandHandle,
    user: {
      id: BigInt(userId),
      id_str: userId,
      name: post.author.name ?? handle,
      screen_name: handle,
      protected: false,
      verified: false,
    },
    is_quote_status: false,
    quote_count: 0,
    reply_count: 0,
    retweet_count: 0,
    favorite_count: 0,
    entities: {
      hashtags: [],
      urls: [],
      // Indices count characters of `text`; the mention is its first word.
      user_mentions: [{ screen_name: brandHandle, name: brandHandle, id: BigInt(brandId), id_str: brandId, indices: [0, mention.length] }],
      symbols: [],
    },
    favorited: false,
    retweeted: false,
    filter_level: 'low',
    lang: post.language ?? 'und',
    timestamp_ms: String(post.createdAt.getTime()),
  };
  const body = Buffer.from(jsonWithExactIntegers({ for_user_id: brandId, user_has_blocked: false, tweet_create_events: [tweet] }));
  return {
    path: '/webhooks/x',
    headers: { 'content-type': 'application/json; charset=utf-8', [X_SIGNATURE_HEADER]: signXBody(body, secret) },
    body,
    posts: 1,
  };
}

/**
 * A Page `feed` delivery with one comment per post, each a separate change (../shared/specs/webhooks.md
 * §2.5, §2.6), in Meta's escaped-unicode JSON (§2.3).
 */
export function metaDelivery(posts: readonly OutgoingPost[], { secret, brand, now }: SigningContext): Delivery {
  const pageId = brand.id ?? DEFAULT_BRANDS.meta.id!;
  const changes = posts.map((post) => {
    // A reply is a comment under the comment it answers, on the same post.
    const parent = post.inReplyTo === undefined ? undefined : metaCommentIds(post.inReplyTo, pageId);
    const own = metaCommentIds(post.id, pageId);
    const postId = parent?.postId ?? own.postId;
    const commentId = parent === undefined ? own.commentId : `${postId.split('_')[1]!}_${own.commentId.split('_')[1]!}`;
    return {
      field: 'feed',
      value: {
        from: { id: metaId(post.author.id, 'user'), name: post.author.name ?? post.author.handle?.replace(/^@/, '') ?? post.author.id },
        post_id: postId,
        comment_id: commentId,
        created_time: unixSeconds(post.createdAt),
        item: 'comment',
        parent_id: parent?.commentId ?? postId,
        verb: 'add',
        message: post.text,
      },
    };
  });
  const body = Buffer.from(metaJson({ object: 'page', entry: [{ id: pageId, time: unixSeconds(now), changes }] }));
  return {
    path: '/webhooks/meta',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMetaBody(body, secret) },
    body,
    posts: posts.length,
  };
}

/** Meta's JSON: non-ASCII as lowercase `\uXXXX` per UTF-16 unit, and `/` as `\/` (§2.3). */
export function metaJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0080-\uffff]|\//g, (char) =>
    char === '/' ? '\\/' : `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** `Thu Aug 20 14:03:11 +0000 2026`: v1.1's `created_at`, always UTC (§1.5). */
export function twitterDate(date: Date): string {
  // toUTCString() is `Thu, 20 Aug 2026 14:03:11 GMT`: the same parts in another order.
  const [weekday, day, month, year, time] = date.toUTCString().split(' ');
  return `${weekday!.slice(0, 3)} ${month!} ${day!.padStart(2, '0')} ${time!} +0000 ${year!}`;
}

/** X escapes exactly these three in post text. */
function escapeTweetText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// A string no post text can collide with, replaced by the bare digits once serialised.
const MARK = `exact-integer-${randomUUID()}:`;
const MARKED = new RegExp(`"${MARK}(\\d+)"`, 'g');

/** JSON with bigint values written as bare integer literals, all digits kept (JSON.stringify refuses bigints). */
export function jsonWithExactIntegers(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? `${MARK}${item}` : item)).replace(MARKED, '$1');
}

const X_ID = /^[0-9]{1,19}$/;
const MAX_SNOWFLAKE = 2n ** 63n - 1n;

/** X ids are 63-bit decimal snowflakes; any other id is mapped to one, the same one every time. */
export function xId(id: string, kind: 'post' | 'user'): string {
  if (X_ID.test(id) && BigInt(id) <= MAX_SNOWFLAKE) return id;
  return derivedDigits(`x:${kind}:${id}`, 19);
}

/** Meta ids are decimal strings; any other id is mapped to one of the usual 16 digits. */
function metaId(id: string, kind: string): string {
  return /^[0-9]{1,20}$/.test(id) ? id : derivedDigits(`meta:${kind}:${id}`, 16);
}

/**
 * A comment's `post_id` (`<page>_<post>`) and `comment_id` (`<post>_<comment>`). An input id that
 * is already a comment id keeps its post; any other id gets a post and comment of its own.
 */
function metaCommentIds(id: string, pageId: string): { postId: string; commentId: string } {
  const match = /^([0-9]{1,20})_([0-9]{1,20})$/.exec(id);
  if (match) return { postId: `${pageId}_${match[1]!}`, commentId: id };
  const post = derivedDigits(`meta:post:${id}`, 16);
  return { postId: `${pageId}_${post}`, commentId: `${post}_${metaId(id, 'comment')}` };
}

/** A handle as X allows it (letters, digits, underscore, at most 15). */
function screenName(handle: string, fallbackId: string): string {
  const name = handle.replace(/^@/, '').replace(/[^A-Za-z0-9_]/g, '').slice(0, 15);
  return name || `user${fallbackId.slice(-8)}`;
}

/** `digits` decimal digits, the first never 0, derived from `seed`. */
function derivedDigits(seed: string, digits: number): string {
  const hash = BigInt(`0x${createHash('sha256').update(seed).digest('hex').slice(0, 24)}`);
  const floor = 10n ** BigInt(digits - 1);
  // Below 9.2e18 when digits is 19, so every derived X id fits 63 bits.
  const span = digits === 19 ? MAX_SNOWFLAKE - floor : 9n * floor;
  return String(floor + (hash % span));
}

function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
