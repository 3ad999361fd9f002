import * as z from '#contracts/zod';

/**
 * SocialPost's limit. Page and comment ids are a few dozen digits, but Instagram message ids are
 * base64 text of 150 characters and more.
 */
export const MAX_ID_LENGTH = 256;

/**
 * An id, always as a string (../shared/specs/webhooks.md §2.5): older payloads carried numeric
 * `post_id`/`sender_id`. A number beyond 2^53 has already lost digits, so it is refused rather
 * than guessed; `readMetaJson` keeps such literals exact where the runtime allows.
 */
export const MetaId = z.pipe(
  z.union([z.string().check(z.minLength(1), z.maxLength(MAX_ID_LENGTH)), z.int().check(z.gte(0))]),
  z.transform((id) => String(id)),
);

/** Unix time (seconds or milliseconds), or an ISO string as some captured `created_time`s are (§2.6). */
export const MetaTime = z.union([z.number(), z.string().check(z.maxLength(64))]);

/** A field that only enriches a post: a wrong type drops the field, not the post. */
export const optionalString = z.catch(z.optional(z.string()), undefined);
export const optionalTime = z.catch(z.optional(MetaTime), undefined);

// Outside these, a time is a unit mix-up or garbage; a later ISO year would also not have 4 digits.
const EARLIEST_MS = Date.UTC(2000, 0, 1);
const LATEST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
/** Below this a unix time is seconds, above it milliseconds (1e11 s is the year 5138, 1e11 ms is 1973). */
const MILLISECONDS_FROM = 1e11;
const UNIX_DIGITS = /^\d{1,16}$/;
const ISO_PREFIX = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/**
 * A Meta time as an ISO string, or undefined when it is absent or implausible. Seconds and
 * milliseconds are told apart by magnitude (§2.5: seconds on `changes`, milliseconds on messaging).
 */
export function isoFromMetaTime(value: number | string | undefined): string | undefined {
  let milliseconds: number;
  if (typeof value === 'number') milliseconds = unixToMilliseconds(value);
  else if (typeof value === 'string' && UNIX_DIGITS.test(value)) milliseconds = unixToMilliseconds(Number(value));
  else if (typeof value === 'string' && ISO_PREFIX.test(value)) milliseconds = Date.parse(value);
  else return undefined;
  if (!Number.isFinite(milliseconds) || milliseconds < EARLIEST_MS || milliseconds > LATEST_MS) return undefined;
  return new Date(milliseconds).toISOString();
}

function unixToMilliseconds(value: number): number {
  return Math.abs(value) < MILLISECONDS_FROM ? value * 1000 : value;
}

/** Cuts text to `max` UTF-16 units (SocialPost's limits) without splitting a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

/**
 * A structural name from the payload (an object, field, item or verb) for an ignore reason.
 * Reasons are logged, so only names that look like Meta's identifiers are quoted.
 */
export function quoteName(name: unknown): string {
  return typeof name === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(name) ? `"${name}"` : 'an unrecognised one';
}

/** Zod issues as a short reason: the paths and what was expected, never the values. */
export function describeIssues(error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> }): string {
  const shown = error.issues.slice(0, 3).map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
  const more = error.issues.length - shown.length;
  return more > 0 ? `${shown.join('; ')} (and ${more} more)` : shown.join('; ');
}
