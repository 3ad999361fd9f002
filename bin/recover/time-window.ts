import { randomBytes } from 'node:crypto';

const RELATIVE = /^(\d+)(s|m|h|d)$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** ISO 8601 as people type it: a date, optionally a time (to the minute or finer) and a zone. */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * A point in time for `replay --from/--to`: ISO 8601 (`2026-05-01`, `2026-05-01T10:00Z`; without a
 * zone, a date is UTC and a date with a time is local time, as JavaScript reads them), a duration
 * ago (`90s`, `15m`, `2h`, `1d`), or `now`. Undefined when the text is none of these.
 */
export function parseTime(text: string, now: Date): Date | undefined {
  const value = text.trim();
  if (value.toLowerCase() === 'now') return now;
  const relative = RELATIVE.exec(value);
  if (relative) return new Date(now.getTime() - Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS]);
  if (!ISO_8601.test(value) || !isCalendarDate(value.slice(0, 10))) return undefined;
  const date = new Date(value.replace(' ', 'T'));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** JavaScript reads 2026-02-30 as 2 March; a person who typed it made a mistake. */
function isCalendarDate(text: string): boolean {
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * A replay name no earlier replay has: `replay-20260501T100000Z-3f9a1c2e`. StartReplay requires
 * [.\-_A-Za-z0-9]{1,64} and refuses a name used before (§8).
 */
export function newReplayName(now: Date): string {
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
  return `replay-${stamp}-${randomBytes(4).toString('hex')}`;
}

/** RFC 3339 to the second, as events carry their time. */
export function formatTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
