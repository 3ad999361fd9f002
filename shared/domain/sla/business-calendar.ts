// Business-hours arithmetic for SLA clocks: when a target of so many business seconds falls due,
// and how much business time lies between two instants, in a queue's own time zone, with weekly
// windows, holidays and paused stretches. Pure: the zone's offsets come from Intl, nothing else.
//
// What "business hours" means here, including on daylight-saving nights:
//
// - A window is read on the local wall clock: Mon 09:00-17:30 opens when the clock in the queue's
//   zone shows 09:00 on a Monday and closes when it shows 17:30, whatever the UTC offset that day.
//   So 09:00-17:00 on the day the clocks change is still 09:00 to 17:00 local (8 hours, since the
//   change happens at night), and 00:00-24:00 on that day lasts 23 or 25 hours.
// - A window whose end is earlier than its start crosses midnight (Fri 22:00-06:00 runs into
//   Saturday). It belongs to the day it opens: a holiday on that day cancels all of it, and a
//   holiday on the next day cuts it at midnight.
// - A local time that the clocks skip (01:30 on a spring-forward night) is read as the moment of
//   the jump: that is when the clock first shows a time at or after it. A window 01:30-03:00 that
//   night opens at the jump (the clock then shows 02:00) and lasts an hour; one that lies wholly
//   inside the skipped hour does not open at all.
// - A local time that the clocks repeat (01:30 on a fall-back night) opens a window the first time
//   it is shown and closes one the last time the clock, running on, reaches it. A window is one
//   unbroken stretch, never an hour of work with a hole in it, so a window that touches the
//   repeated hour covers both passes through it: 00:00-03:00 that night lasts 4 hours, 01:30-01:45
//   lasts 75 minutes. (A window ending exactly where the clock is set back to, 00:00-01:00 in
//   London, closes at the first 01:00: the clock set back to 01:00 does not reach 01:00 running on.)
//   Put another way, a window is every instant whose wall-clock reading lies in it, and whatever
//   lies between two such instants of the same window.
// - A due time that uses up a window exactly is the window's end (Friday 17:00, not Monday 09:00):
//   the target is met by the last moment of business time, and adding more moves it on.
//
// Instants are handled in milliseconds; durations are taken in seconds and are exact to the
// millisecond. The work goes window by window (a few Intl calls each), never minute by minute.
import { isTimeZone, notATimeZone, wallClockTime } from '../time-zone.ts';
import type { BusinessHoursConfig, BusinessWindowConfig, Weekday } from '#contracts/business-hours';
import { ValidationError } from '../errors.ts';

export interface BusinessCalendar {
  /** The config the calendar was built from; absent for a queue that is always open. */
  readonly hours?: BusinessHoursConfig;
  /** @internal the compiled form the arithmetic reads. */
  readonly compiled: CompiledHours | null;
}

/** Open around the clock, every day: business time is plain time (a queue with no business hours). */
export const ALWAYS_OPEN: BusinessCalendar = Object.freeze({ compiled: null });

/** A stretch of time during which an SLA clock does not run; no `to` means it is still going on. */
export interface Pause {
  from: Date;
  to?: Date;
}

export interface BusinessHoursProblem {
  /** Where in the business-hours config, such as `['windows', 1, 'to']`. */
  path: Array<string | number>;
  message: string;
}

/**
 * The calendar for a queue's business hours, or ALWAYS_OPEN when it has none. Throws a
 * ValidationError listing what is wrong with hours that did not come through the config schema.
 */
export function businessCalendar(hours: BusinessHoursConfig | undefined): BusinessCalendar {
  if (hours === undefined) return ALWAYS_OPEN;
  const problems = businessHoursProblems(hours);
  if (problems.length > 0) {
    throw new ValidationError(
      `invalid business hours: ${problems.map((problem) => problem.message).join('; ')}`,
      problems.map((problem) => ({ path: problem.path.join('.'), message: problem.message })),
    );
  }
  return { hours, compiled: compile(hours) };
}

/**
 * The instant at which `seconds` of business time have elapsed after `start`. From outside
 * business hours, counting begins when the next window opens; zero seconds is `start` itself.
 */
export function addBusinessTime(calendar: BusinessCalendar, start: Date, seconds: number): Date {
  return new Date(walk(calendar, start.getTime(), toMilliseconds(seconds), []));
}

/**
 * When an SLA target of `seconds` of business time, started at `start`, falls due, with the time
 * inside `pauses` (a ticket waiting for the customer) not counted. A pause still going on stops the
 * clock for good: the answer is null, unless the target was already reached before that pause
 * began, in which case that (passed) due time stands.
 */
export function dueAt(calendar: BusinessCalendar, start: Date, seconds: number, pauses: readonly Pause[]): Date | null {
  const due = walk(calendar, start.getTime(), toMilliseconds(seconds), normalisePauses(pauses));
  return Number.isFinite(due) ? new Date(due) : null;
}

/**
 * Business seconds in [from, to), less any time inside `pauses`; 0 when `to` is not after `from`.
 * Exact to the millisecond, so it may have a fractional part.
 */
export function businessTimeBetween(calendar: BusinessCalendar, from: Date, to: Date, pauses: readonly Pause[] = []): number {
  const end = to.getTime();
  let elapsed = 0;
  for (const [open, close] of countedStretches(calendar, from.getTime(), normalisePauses(pauses))) {
    if (open >= end) break;
    elapsed += Math.min(close, end) - open;
  }
  return elapsed / 1000;
}

/** Whether `at` lies within business hours (a window's opening instant counts, its closing one does not). */
export function isBusinessTime(calendar: BusinessCalendar, at: Date): boolean {
  const [first] = countedStretches(calendar, at.getTime(), []);
  return first !== undefined && first[0] === at.getTime();
}

/**
 * Everything wrong with a business-hours config, each with where it is: a time zone Intl does not
 * know, a malformed time or date, an empty window, windows that overlap. Empty when it is usable.
 * The config schema (shared/contracts/business-hours.ts) reports these as its issues.
 */
export function businessHoursProblems(hours: BusinessHoursConfig): BusinessHoursProblem[] {
  const problems: BusinessHoursProblem[] = [];
  if (!isTimeZone(hours.timeZone)) {
    problems.push({
      path: ['timeZone'],
      message: notATimeZone(hours.timeZone),
    });
  }
  if (hours.windows.length === 0) {
    problems.push({ path: ['windows'], message: 'at least one window is needed; leave business hours out for a queue that is always open' });
  }
  const weekly: WeeklyRange[] = [];
  hours.windows.forEach((window, index) => {
    const from = parseClock(window.from, false);
    const to = parseClock(window.to, true);
    if (from === null) {
      const hint = window.from === '24:00' ? '; a window cannot open at 24:00, open it at 00:00 the next day' : '';
      problems.push({ path: ['windows', index, 'from'], message: `"${window.from}" is not a time: expected HH:MM from 00:00 to 23:59${hint}` });
    }
    if (to === null) {
      problems.push({ path: ['windows', index, 'to'], message: `"${window.to}" is not a time: expected HH:MM from 00:00 to 24:00` });
    }
    if (window.days.length === 0) {
      problems.push({ path: ['windows', index, 'days'], message: 'a window needs at least one day' });
    }
    const repeated = window.days.find((day, position) => window.days.indexOf(day) !== position);
    if (repeated !== undefined) {
      problems.push({ path: ['windows', index, 'days'], message: `"${repeated}" is listed twice` });
    }
    if (from === null || to === null) return;
    if (from === to) {
      problems.push({
        path: ['windows', index],
        message: `the window ${describe(window)} is empty: it closes when it opens (a whole day is 00:00-24:00)`,
      });
      return;
    }
    for (const day of new Set(window.days)) weekly.push(...weeklyRanges(index, window, day, from, to));
  });
  problems.push(...overlaps(weekly, hours.windows));
  hours.holidays.forEach((holiday, index) => {
    if (parseDate(holiday) === null) {
      problems.push({ path: ['holidays', index], message: `"${holiday}" is not a date: expected YYYY-MM-DD, such as 2026-12-25` });
    }
  });
  return problems;
}

// ---------------------------------------------------------------------------------------------
// The walk: business stretches one after another, less pauses.

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
const MINUTES_PER_DAY = 1440;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

/** [from, to) in epoch milliseconds; `to` may be Infinity. */
type Stretch = [number, number];

function toMilliseconds(seconds: number): number {
  if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError(`business time must be zero or more seconds, not ${seconds}`);
  return Math.round(seconds * 1000);
}

/** The instant `duration` ms of counted time after `start`; Infinity when a pause never ends first. */
function walk(calendar: BusinessCalendar, start: number, duration: number, pauses: Stretch[]): number {
  if (duration === 0) return start;
  let remaining = duration;
  for (const [open, close] of countedStretches(calendar, start, pauses)) {
    if (close - open >= remaining) return open + remaining;
    remaining -= close - open;
  }
  return Infinity;
}

/** Sorted, merged pauses; one still going on runs to Infinity. */
function normalisePauses(pauses: readonly Pause[]): Stretch[] {
  const stretches = pauses.map(({ from, to }): Stretch => {
    const end = to === undefined ? Infinity : to.getTime();
    if (end < from.getTime()) throw new RangeError(`a pause cannot end (${to?.toISOString()}) before it begins (${from.toISOString()})`);
    return [from.getTime(), end];
  });
  stretches.sort((a, b) => a[0] - b[0]);
  const merged: Stretch[] = [];
  for (const stretch of stretches) {
    const last = merged.at(-1);
    if (last !== undefined && stretch[0] <= last[1]) last[1] = Math.max(last[1], stretch[1]);
    else merged.push([...stretch]);
  }
  return merged;
}

/** Counted time from `start` on, in order and disjoint: business stretches with the pauses cut out. */
function* countedStretches(calendar: BusinessCalendar, start: number, pauses: Stretch[]): Generator<Stretch> {
  let next = 0;
  const stretches = calendar.compiled === null ? [[start, Infinity] as Stretch] : openStretches(calendar.compiled, start);
  for (const stretch of stretches) {
    let [open] = stretch;
    const close = stretch[1];
    while (open < close) {
      while (next < pauses.length && pauses[next]![1] <= open) next++;
      const pause = pauses[next];
      if (pause === undefined || pause[0] >= close) {
        yield [open, close];
        break;
      }
      if (pause[0] > open) yield [open, pause[0]];
      if (pause[1] === Infinity) return;
      open = pause[1];
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Windows, local days and the zone's clock.

interface CompiledHours {
  readonly clock: ZoneClock;
  /** Per weekday (0 = Sunday, as Date counts), minutes after that day's midnight, sorted by opening. */
  readonly windowsByWeekday: ReadonlyArray<ReadonlyArray<{ from: number; to: number }>>;
  /** Holidays as local day numbers (days since 1970-01-01). */
  readonly holidays: ReadonlySet<number>;
}

const WEEKDAY_NUMBER: Record<Weekday, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

function compile(hours: BusinessHoursConfig): CompiledHours {
  const windowsByWeekday: Array<Array<{ from: number; to: number }>> = [[], [], [], [], [], [], []];
  for (const window of hours.windows) {
    const from = parseClock(window.from, false)!;
    const close = parseClock(window.to, true)!;
    // A window crossing midnight is kept whole on the day it opens; `to` then runs past 1440.
    const to = close > from ? close : close + MINUTES_PER_DAY;
    for (const day of new Set(window.days)) windowsByWeekday[WEEKDAY_NUMBER[day]]!.push({ from, to });
  }
  for (const windows of windowsByWeekday) windows.sort((a, b) => a.from - b.from);
  return { clock: zoneClock(hours.timeZone), windowsByWeekday, holidays: new Set(hours.holidays.map((date) => parseDate(date)!)) };
}

/**
 * Business stretches overlapping [start, Infinity), clipped to start, in order and disjoint. Each
 * window of each local day becomes one stretch (see the top of the file for how its ends are read
 * on a daylight-saving night); stretches that touch or overlap, as a window reaching into a
 * repeated hour can, are clipped so that no instant is counted twice.
 */
function* openStretches(hours: CompiledHours, start: number): Generator<Stretch> {
  const { clock } = hours;
  let covered = start;
  // Two days back: a window that opened yesterday may run past midnight into today.
  for (let day = Math.floor(clock.localTime(start) / MS_PER_DAY) - 2; ; day++) {
    if (hours.holidays.has(day)) continue;
    const midnight = day * MS_PER_DAY;
    const nextDayIsHoliday = hours.holidays.has(day + 1);
    // 1970-01-01, day 0, was a Thursday.
    for (const window of hours.windowsByWeekday[(((day + 4) % 7) + 7) % 7]!) {
      const to = window.to > MINUTES_PER_DAY && nextDayIsHoliday ? MINUTES_PER_DAY : window.to;
      const open = Math.max(clock.firstShowing(midnight + window.from * MS_PER_MINUTE), covered);
      const close = clock.lastReaching(midnight + to * MS_PER_MINUTE);
      if (close > open) {
        yield [open, close];
        covered = close;
      }
    }
  }
}

/** A zone's wall clock, read through Intl (offsets looked up per instant, so any zone works). */
interface ZoneClock {
  /** The wall-clock reading at `instant`, as milliseconds on a local timeline (local time as if UTC). */
  localTime(instant: number): number;
  /** The first instant at which the clock shows `local` or later: the jump, if `local` is skipped. */
  firstShowing(local: number): number;
  /** The last instant at which the clock, running on, reaches `local`: the later pass, if `local` is repeated. */
  lastReaching(local: number): number;
}

function zoneClock(timeZone: string): ZoneClock {
  const localTime = (instant: number) => wallClockTime(timeZone, instant);
  const offset = (instant: number) => localTime(instant) - instant;

  /**
   * Every instant at which the clock shows `local`, earliest first: one on an ordinary day, two in
   * a repeated hour, none in a skipped one. Any such instant lies within 14 h of `local` read as
   * UTC (offsets run from -12 h to +14 h), so the offsets a day either side cover every candidate
   * unless two changes fall within that day, which only a scan of the day finds.
   */
  function instantsShowing(local: number): { instants: number[]; offsets: number[] } {
    const around = new Set([offset(local - MS_PER_DAY), offset(local + MS_PER_DAY)]);
    let instants = [...around].map((candidate) => local - candidate).filter((instant) => offset(instant) === local - instant);
    if (around.size === 1 && instants.length === 0) {
      for (let hour = -36; hour <= 36; hour++) around.add(offset(local + hour * 3_600_000));
      instants = [...around].map((candidate) => local - candidate).filter((instant) => offset(instant) === local - instant);
    }
    return { instants: [...new Set(instants)].sort((a, b) => a - b), offsets: [...around] };
  }

  /** In a skipped stretch: the instant the clock jumps past `local` (binary search to the millisecond). */
  function jumpPast(local: number, offsets: number[]): number {
    let low = local - Math.max(...offsets); // the clock still shows less than `local`
    let high = local - Math.min(...offsets); // the clock already shows more
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (localTime(middle) >= local) high = middle;
      else low = middle;
    }
    return high;
  }

  return {
    localTime,
    firstShowing(local) {
      const { instants, offsets } = instantsShowing(local);
      return instants[0] ?? jumpPast(local, offsets);
    },
    lastReaching(local) {
      const { instants, offsets } = instantsShowing(local);
      // Not the instant the clock is set back to `local` from later: it gets there from above.
      const reached = instants.filter((instant) => localTime(instant - 1) < local);
      return reached.at(-1) ?? jumpPast(local, offsets);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Reading the config.

/** Minutes after midnight for `HH:MM`; `24:00` only where `endOfDay` allows it. */
function parseClock(text: string, endOfDay: boolean): number | null {
  if (endOfDay && text === '24:00') return MINUTES_PER_DAY;
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return match === null ? null : Number(match[1]) * 60 + Number(match[2]);
}

/** Days since 1970-01-01 for a real calendar date `YYYY-MM-DD`. */
function parseDate(text: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real ? date.getTime() / MS_PER_DAY : null;
}

/** One window on one weekday, as minutes of the week from Monday 00:00. */
interface WeeklyRange {
  window: number;
  day: Weekday;
  from: number;
  to: number;
}

const WEEK_ORDER: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function weeklyRanges(window: number, config: BusinessWindowConfig, day: Weekday, from: number, close: number): WeeklyRange[] {
  const start = WEEK_ORDER.indexOf(day) * MINUTES_PER_DAY + from;
  const end = start + (close > from ? close - from : close + MINUTES_PER_DAY - from);
  // Sunday night into Monday wraps round to the start of the week.
  if (end <= MINUTES_PER_WEEK) return [{ window, day, from: start, to: end }];
  return [
    { window, day, from: start, to: MINUTES_PER_WEEK },
    { window, day, from: 0, to: end - MINUTES_PER_WEEK },
  ];
}

function overlaps(ranges: WeeklyRange[], windows: readonly BusinessWindowConfig[]): BusinessHoursProblem[] {
  const problems: BusinessHoursProblem[] = [];
  const reported = new Set<string>();
  const sorted = [...ranges].sort((a, b) => a.from - b.from || a.to - b.to);
  sorted.forEach((range, position) => {
    for (const earlier of sorted.slice(0, position)) {
      if (earlier.to <= range.from) continue;
      const [first, second] = earlier.window <= range.window ? [earlier, range] : [range, earlier];
      const key = `${first.window}/${first.day}/${second.window}/${second.day}`;
      if (reported.has(key)) continue;
      reported.add(key);
      problems.push({
        path: ['windows', second.window],
        message:
          `windows overlap: ${describe(windows[second.window]!, second.day)} (window ${second.window + 1}) ` +
          `and ${describe(windows[first.window]!, first.day)} (window ${first.window + 1})`,
      });
    }
  });
  return problems;
}

function describe(window: BusinessWindowConfig, day?: Weekday): string {
  return `${day === undefined ? window.days.join(',') : day} ${window.from}-${window.to}`;
}
