import { type PostKind, SocialPost } from '#contracts/social-post';
import * as z from '#contracts/zod';
import { ValidationError } from '#domain/errors';
import type { Ignored, IncomingPost, ParsedDelivery } from '#platforms/webhook-platform';

/**
 * What the three X body shapes (../shared/specs/webhooks.md §1.5–1.7) have in common once
 * read: ids, text clean-up, times, URLs, kinds and dedupe keys, and the final check against the
 * SocialPost contract.
 */

/**
 * X ids are 63-bit snowflakes sent as decimal strings (`id_str`, v2 `id`); the reply API accepts
 * exactly `^[0-9]{1,19}$` (§5.1), so anything else is not an X id.
 */
export const XId = z.string().check(z.regex(/^[0-9]{1,19}$/, 'expected an X id: 1 to 19 digits, as a string'));

/** Epoch milliseconds, as X sends `timestamp_ms` and `created_timestamp` (a string, sometimes a number). */
const LAST_MS_OF_YEAR_9999 = 253_402_300_799_999;
export const EpochMs = z.union([
  z.string().check(z.regex(/^[0-9]{1,15}$/, 'expected epoch milliseconds as digits')),
  z.int().check(z.nonnegative()),
]).check(z.refine((value) => Number(value) <= LAST_MS_OF_YEAR_9999, 'expected epoch milliseconds before the year 10000'));

/** v1.1 `created_at`: `Thu Aug 20 14:03:11 +0000 2026` (§1.5). */
const TWITTER_DATE = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) ([0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) ([+-])([0-9]{2})([0-9]{2}) ([0-9]{4})$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const TwitterDate = z.string().check(z.refine((value) => twitterDateToIso(value) !== undefined, 'expected a date like "Thu Aug 20 14:03:11 +0000 2026"'));

/** Handles and display names: the contract allows 256 characters, and a handle gains an `@`. */
export const ScreenName = z.string().check(z.minLength(1), z.maxLength(255));
export const DisplayName = z.string().check(z.maxLength(256));
export const Lang = z.string().check(z.maxLength(35));

export function epochMsToIso(value: string | number): string {
  return new Date(Number(value)).toISOString();
}

export function twitterDateToIso(value: string): string | undefined {
  const match = TWITTER_DATE.exec(value);
  if (!match) return undefined;
  const [, month, day, hours, minutes, seconds, sign, offsetHours, offsetMinutes, year] = match;
  const monthIndex = MONTHS.indexOf(month!);
  if (monthIndex < 0) return undefined;
  const offsetMs = (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60_000;
  const utc = Date.UTC(Number(year), monthIndex, Number(day), Number(hours), Number(minutes), Number(seconds)) - offsetMs;
  const date = new Date(utc);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** X escapes these three in post text (v1.1 and v2) and nothing else; one pass, so `&amp;lt;` stays `&lt;`. */
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>' };
export function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_, name: string) => ENTITIES[name]!);
}

/**
 * X's own codes for "no language" (undetermined, media or links only, hashtags, mentions,
 * cashtags or too short to tell) are not languages a classifier could use.
 */
const NOT_A_LANGUAGE = new Set(['und', 'zxx', 'qam', 'qct', 'qht', 'qme', 'qst']);
export function languageHint(lang: string | null | undefined): string | undefined {
  return lang && !NOT_A_LANGUAGE.has(lang) ? lang : undefined;
}

/** The post's public URL; `/i/web/status/` works without knowing the author's handle. */
export function postUrl(id: string, screenName: string | null | undefined): string {
  return screenName && /^[A-Za-z0-9_]{1,50}$/.test(screenName) ? `https://x.com/${screenName}/status/${id}` : `https://x.com/i/web/status/${id}`;
}

export function handle(screenName: string | null | undefined): string | undefined {
  return screenName ? `@${screenName}` : undefined;
}

/** Mentions in order of appearance, each account once; entries with neither id nor handle say nothing. */
export function mentionList(entries: ReadonlyArray<{ id?: string | null; screenName?: string | null }>): NonNullable<SocialPost['mentions']> {
  const seen = new Set<string>();
  const mentions: NonNullable<SocialPost['mentions']> = [];
  for (const { id, screenName } of entries) {
    if (id == null && screenName == null) continue;
    const key = id ?? `@${screenName}`.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    mentions.push({ id: id ?? undefined, handle: handle(screenName) });
  }
  return mentions;
}

/** Reply outranks mention, mention outranks a plain post: a reply that tags the brand is still a reply in its thread. */
export function postKind(isReply: boolean, mentionsBrand: boolean): PostKind {
  if (isReply) return 'reply';
  if (mentionsBrand) return 'mention';
  return 'post';
}

/** One conversation between two accounts gets one id whichever way a message goes, in X's `<lower>-<higher>` form. */
export function dmThreadId(a: string, b: string): string {
  return BigInt(a) <= BigInt(b) ? `${a}-${b}` : `${b}-${a}`;
}

/** The same post gets the same key whether AAA, XAA or filtered stream delivered it (§1.4, §1.8). */
export const dedupeKeys = {
  post: (id: string) => `x:post:${id}`,
  directMessage: (id: string) => `x:dm:${id}`,
  removal: (id: string) => `x:post:${id}:removed`,
};

export function emptyDelivery(): ParsedDelivery {
  return { posts: [], removals: [], ignored: [] };
}

export function ignore(reason: string): Ignored {
  return { reason };
}

/** Files a mapped item under posts or ignored. */
export function record(delivery: ParsedDelivery, outcome: IncomingPost | Ignored): void {
  if ('post' in outcome) delivery.posts.push(outcome);
  else delivery.ignored.push(outcome);
}

/** Parses one part of the delivery, with issue paths starting at the body's root. */
export function parseAt<Schema extends z.ZodMiniType>(schema: Schema, value: unknown, path: readonly (string | number)[]): z.infer<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(
    'the X delivery does not match the expected shape',
    result.error.issues.map((issue) => ({ path: joinPath([...path, ...issue.path.map(String)]), message: issue.message })),
  );
}

export function missing(path: readonly (string | number)[], message: string): ValidationError {
  return new ValidationError('the X delivery does not match the expected shape', [{ path: joinPath(path), message }]);
}

export function joinPath(path: readonly (string | number)[]): string {
  return path.map(String).join('.') || '(root)';
}

/**
 * The post as the contract sees it. A mapped post that does not fit (a longform post over the
 * contract's text limit, say) fails the delivery with the source field named: `sources` says
 * which field of the X object each contract field came from.
 */
export function checkedPost(
  candidate: SocialPost,
  dedupeKey: string,
  path: readonly (string | number)[],
  sources: Partial<Record<string, string>>,
): IncomingPost {
  const result = SocialPost.safeParse(dropUndefined(candidate));
  if (result.success) return { post: result.data, dedupeKey };
  throw new ValidationError(
    'an X post does not fit the normalised post contract',
    result.error.issues.map((issue) => {
      const field = issue.path.map(String);
      const source = sources[field.join('.')] ?? sources[field[0] ?? ''] ?? field.join('.');
      return { path: joinPath([...path, source]), message: issue.message };
    }),
  );
}

/** Optional fields left out rather than present as `undefined`, so a post reads the same after a JSON round trip. */
function dropUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(dropUndefined) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined).map(([key, entry]) => [key, dropUndefined(entry)])) as T;
}
