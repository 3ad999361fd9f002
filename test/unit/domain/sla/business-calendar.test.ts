// SLA arithmetic in business hours: worked examples, the config schema's errors, and properties
// that must hold for every calendar, zone and start. `npm run fuzz` can raise FUZZ_RUNS.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BusinessHoursConfig, type BusinessWindowConfig, type Weekday } from '#contracts/business-hours';
import { ValidationError } from '#domain/errors';
import {
  ALWAYS_OPEN,
  addBusinessTime,
  businessCalendar,
  businessTimeBetween,
  dueAt,
  isBusinessTime,
  type Pause,
} from '#domain/sla/business-calendar';

const HOUR = 3600;
const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];
const EVERY_DAY: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

const at = (iso: string) => new Date(iso);
const iso = (date: Date | null) => date?.toISOString() ?? null;

function calendar(timeZone: string, windows: BusinessWindowConfig[], holidays: string[] = []) {
  return businessCalendar({ timeZone, windows, holidays });
}

const nineToFive = calendar('Europe/London', [{ days: WEEKDAYS, from: '09:00', to: '17:00' }]);

describe('adding business time', () => {
  // November 2026 in London is GMT, so local times equal UTC; Friday is the 20th.
  it('lands a 4 h target started Friday 16:00 on Monday 12:00 in a Mon-Fri 9-17 calendar', () => {
    expect(iso(addBusinessTime(nineToFive, at('2026-11-20T16:00Z'), 4 * HOUR))).toBe('2026-11-23T12:00:00.000Z');
  });

  it('counts on within the window when the start is inside it', () => {
    expect(iso(addBusinessTime(nineToFive, at('2026-11-24T10:00Z'), 3 * HOUR))).toBe('2026-11-24T13:00:00.000Z');
  });

  it('begins counting when the window opens when the start is before it', () => {
    expect(iso(addBusinessTime(nineToFive, at('2026-11-24T07:00Z'), HOUR))).toBe('2026-11-24T10:00:00.000Z');
  });

  it('begins counting the next morning when the start is after the last window of the day', () => {
    expect(iso(addBusinessTime(nineToFive, at('2026-11-24T18:30Z'), HOUR))).toBe('2026-11-25T10:00:00.000Z');
  });

  it('falls due at the close of the window that the target uses up exactly, not at the next opening', () => {
    expect(iso(addBusinessTime(nineToFive, at('2026-11-24T16:00Z'), HOUR))).toBe('2026-11-24T17:00:00.000Z');
  });

  it('adds two days of business time as two whole working days', () => {
    expect(iso(addBusinessTime(nineToFive, at('2026-11-23T09:00Z'), 16 * HOUR))).toBe('2026-11-24T17:00:00.000Z');
  });

  it('skips the lunch break between two windows of the same day', () => {
    const withLunch = calendar('Europe/London', [
      { days: WEEKDAYS, from: '09:00', to: '12:00' },
      { days: WEEKDAYS, from: '13:00', to: '17:30' },
    ]);
    expect(iso(addBusinessTime(withLunch, at('2026-11-24T11:00Z'), 2 * HOUR))).toBe('2026-11-24T14:00:00.000Z');
  });

  it('is exact to the millisecond', () => {
    expect(iso(addBusinessTime(nineToFive, at('2026-11-24T16:59:59.999Z'), 0.002))).toBe('2026-11-25T09:00:00.001Z');
  });

  it('returns the start itself for no time at all, even outside business hours', () => {
    expect(iso(addBusinessTime(nineToFive, at('2026-11-21T12:00Z'), 0))).toBe('2026-11-21T12:00:00.000Z');
  });

  it('refuses a negative or endless amount of time', () => {
    expect(() => addBusinessTime(nineToFive, at('2026-11-24T10:00Z'), -1)).toThrow(RangeError);
    expect(() => addBusinessTime(nineToFive, at('2026-11-24T10:00Z'), Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('goes window by window: two years of 9-5 business time take well under a second', () => {
    const started = performance.now();
    const due = addBusinessTime(nineToFive, at('2026-01-05T09:00Z'), 2 * 261 * 8 * HOUR);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(businessTimeBetween(nineToFive, at('2026-01-05T09:00Z'), due)).toBe(2 * 261 * 8 * HOUR);
  });
});

describe('holidays', () => {
  const withHolidays = calendar('Europe/London', [{ days: WEEKDAYS, from: '09:00', to: '17:00' }], ['2026-12-25', '2026-12-28']);

  it('opens no window on a holiday', () => {
    // Thursday 24th: 1 h left; Friday 25th and Monday 28th are holidays; Tuesday 29th: 1 h more.
    expect(iso(addBusinessTime(withHolidays, at('2026-12-24T16:00Z'), 2 * HOUR))).toBe('2026-12-29T10:00:00.000Z');
    expect(businessTimeBetween(withHolidays, at('2026-12-24T00:00Z'), at('2026-12-29T00:00Z'))).toBe(8 * HOUR);
  });

  it('counts nothing on a holiday, even from inside its hours', () => {
    expect(isBusinessTime(withHolidays, at('2026-12-25T10:00Z'))).toBe(false);
    expect(isBusinessTime(withHolidays, at('2026-12-29T10:00Z'))).toBe(true);
  });
});

describe('a window that crosses midnight', () => {
  const nights = [{ days: ['fri'] as Weekday[], from: '22:00', to: '06:00' }];
  const fridayNights = calendar('Europe/London', nights);

  it('runs on into the next morning', () => {
    expect(iso(addBusinessTime(fridayNights, at('2026-11-20T21:00Z'), 3 * HOUR))).toBe('2026-11-21T01:00:00.000Z');
    expect(isBusinessTime(fridayNights, at('2026-11-21T05:59:59.999Z'))).toBe(true);
    expect(isBusinessTime(fridayNights, at('2026-11-21T06:00Z'))).toBe(false);
  });

  it('continues from the part after midnight to the next week', () => {
    expect(iso(addBusinessTime(fridayNights, at('2026-11-21T05:00Z'), 2 * HOUR))).toBe('2026-11-27T23:00:00.000Z');
  });

  it('ends at midnight when the next day is a holiday', () => {
    const saturdayOff = calendar('Europe/London', nights, ['2026-11-21']);
    expect(iso(addBusinessTime(saturdayOff, at('2026-11-20T22:00Z'), 3 * HOUR))).toBe('2026-11-27T23:00:00.000Z');
    expect(businessTimeBetween(saturdayOff, at('2026-11-20T12:00Z'), at('2026-11-21T12:00Z'))).toBe(2 * HOUR);
  });

  it('does not open at all when the day it starts is a holiday, not even after midnight', () => {
    const fridayOff = calendar('Europe/London', nights, ['2026-11-20']);
    expect(iso(addBusinessTime(fridayOff, at('2026-11-20T21:00Z'), HOUR))).toBe('2026-11-27T23:00:00.000Z');
    expect(businessTimeBetween(fridayOff, at('2026-11-20T12:00Z'), at('2026-11-21T12:00Z'))).toBe(0);
  });

  it('reads an end of 00:00 as midnight, the same as 24:00', () => {
    const untilMidnight = calendar('Europe/London', [{ days: ['fri'], from: '22:00', to: '00:00' }]);
    const untilTwentyFour = calendar('Europe/London', [{ days: ['fri'], from: '22:00', to: '24:00' }]);
    const start = at('2026-11-20T20:00Z');
    expect(iso(addBusinessTime(untilMidnight, start, 3 * HOUR))).toBe('2026-11-27T23:00:00.000Z');
    expect(iso(addBusinessTime(untilTwentyFour, start, 3 * HOUR))).toBe('2026-11-27T23:00:00.000Z');
  });

  it('joins a Sunday-night window to Monday morning across the end of the week', () => {
    const overnight = calendar('Europe/London', [{ days: ['sun'], from: '22:00', to: '02:00' }]);
    expect(iso(addBusinessTime(overnight, at('2026-11-22T23:00Z'), 2 * HOUR))).toBe('2026-11-23T01:00:00.000Z');
  });
});

describe('always open (no business hours)', () => {
  it('is what a queue without business hours gets', () => {
    expect(businessCalendar(undefined)).toBe(ALWAYS_OPEN);
  });

  it('adds time as plain time, to the millisecond', () => {
    expect(iso(addBusinessTime(ALWAYS_OPEN, at('2026-11-21T12:00Z'), 90_061.5))).toBe('2026-11-22T13:01:01.500Z');
    expect(businessTimeBetween(ALWAYS_OPEN, at('2026-11-21T12:00Z'), at('2026-11-22T13:01:01.500Z'))).toBe(90_061.5);
  });

  it('counts nothing backwards', () => {
    expect(businessTimeBetween(ALWAYS_OPEN, at('2026-11-22T12:00Z'), at('2026-11-21T12:00Z'))).toBe(0);
  });
});

describe('daylight saving in the queue zone', () => {
  // Europe/London: on 29 March 2026 the clocks go from 01:00 GMT to 02:00 BST; on 25 October
  // 2026 from 02:00 BST back to 01:00 GMT.
  const everyDayNineToFive = calendar('Europe/London', [{ days: EVERY_DAY, from: '09:00', to: '17:00' }]);

  it('keeps 9 to 5 local on the spring-forward day in London', () => {
    expect(iso(addBusinessTime(everyDayNineToFive, at('2026-03-28T16:00Z'), 2 * HOUR))).toBe('2026-03-29T09:00:00.000Z'); // 10:00 BST
    expect(businessTimeBetween(everyDayNineToFive, at('2026-03-28T23:00Z'), at('2026-03-29T23:00Z'))).toBe(8 * HOUR);
  });

  it('keeps 9 to 5 local on the fall-back day in London', () => {
    expect(iso(addBusinessTime(everyDayNineToFive, at('2026-10-24T15:00Z'), 2 * HOUR))).toBe('2026-10-25T10:00:00.000Z');
    expect(businessTimeBetween(everyDayNineToFive, at('2026-10-24T23:00Z'), at('2026-10-26T00:00Z'))).toBe(8 * HOUR);
  });

  it('makes a whole day 23 hours long in spring and 25 in autumn', () => {
    const sundays = calendar('Europe/London', [{ days: ['sun'], from: '00:00', to: '24:00' }]);
    expect(businessTimeBetween(sundays, at('2026-03-28T12:00Z'), at('2026-03-30T12:00Z'))).toBe(23 * HOUR);
    expect(businessTimeBetween(sundays, at('2026-10-24T12:00Z'), at('2026-10-26T12:00Z'))).toBe(25 * HOUR);
  });

  it('shortens a 01:30-03:00 window on the spring-forward night to the hour after the jump', () => {
    const night = calendar('Europe/London', [{ days: ['sun'], from: '01:30', to: '03:00' }]);
    expect(businessTimeBetween(night, at('2026-03-28T12:00Z'), at('2026-03-29T12:00Z'))).toBe(HOUR);
    expect(isBusinessTime(night, at('2026-03-29T00:59:59.999Z'))).toBe(false);
    expect(isBusinessTime(night, at('2026-03-29T01:00Z'))).toBe(true); // the clock now shows 02:00 BST
    expect(iso(addBusinessTime(night, at('2026-03-28T12:00Z'), 1800))).toBe('2026-03-29T01:30:00.000Z');
  });

  it('runs a 01:30-03:00 window on the fall-back night from the first 01:30 to 03:00, through the repeated hour', () => {
    const night = calendar('Europe/London', [{ days: ['sun'], from: '01:30', to: '03:00' }]);
    expect(businessTimeBetween(night, at('2026-10-24T12:00Z'), at('2026-10-25T12:00Z'))).toBe(2.5 * HOUR);
    expect(isBusinessTime(night, at('2026-10-25T00:30Z'))).toBe(true); // 01:30 BST, the first pass
    expect(isBusinessTime(night, at('2026-10-25T01:10Z'))).toBe(true); // 01:10 GMT, the second pass
    expect(iso(addBusinessTime(night, at('2026-10-24T12:00Z'), 2.5 * HOUR))).toBe('2026-10-25T03:00:00.000Z');
  });

  it('closes a window that ends at the time the clocks go back to the first time, not after the repeat', () => {
    // At 02:00 BST the clock goes back to 01:00: it shows 01:00 again, but never reaches it running on.
    const untilOne = calendar('Europe/London', [{ days: ['sun'], from: '00:00', to: '01:00' }]);
    expect(businessTimeBetween(untilOne, at('2026-10-24T12:00Z'), at('2026-10-25T12:00Z'))).toBe(HOUR);
    expect(isBusinessTime(untilOne, at('2026-10-25T00:30Z'))).toBe(false); // 01:30 BST
  });

  // America/New_York: on 8 March 2026 the clocks go from 02:00 EST to 03:00 EDT; on 1 November
  // 2026 from 02:00 EDT back to 01:00 EST.
  const newYork = calendar('America/New_York', [{ days: WEEKDAYS, from: '09:00', to: '17:00' }]);

  it('keeps 9 to 5 local across both changes in New York', () => {
    expect(iso(addBusinessTime(newYork, at('2026-03-06T16:00-05:00'), 2 * HOUR))).toBe('2026-03-09T14:00:00.000Z'); // 10:00 EDT
    expect(iso(addBusinessTime(newYork, at('2026-10-30T16:00-04:00'), 2 * HOUR))).toBe('2026-11-02T15:00:00.000Z'); // 10:00 EST
  });

  it('never opens a window that lies wholly in the skipped hour', () => {
    const skipped = calendar('America/New_York', [{ days: ['sun'], from: '02:00', to: '03:00' }]);
    expect(businessTimeBetween(skipped, at('2026-03-07T12:00Z'), at('2026-03-08T23:00Z'))).toBe(0);
    expect(iso(addBusinessTime(skipped, at('2026-03-07T12:00Z'), 60))).toBe('2026-03-15T06:01:00.000Z'); // 02:01 EDT a week on
  });

  it('closes a window that ends in the repeated hour the second time the clock shows its end', () => {
    const untilHalfPastOne = calendar('America/New_York', [{ days: ['sun'], from: '00:00', to: '01:30' }]);
    expect(businessTimeBetween(untilHalfPastOne, at('2026-10-31T12:00Z'), at('2026-11-01T12:00Z'))).toBe(2.5 * HOUR);
    expect(isBusinessTime(untilHalfPastOne, at('2026-11-01T05:45Z'))).toBe(true); // 01:45 EDT, between the two passes
    expect(isBusinessTime(untilHalfPastOne, at('2026-11-01T06:30Z'))).toBe(false); // 01:30 EST
  });

  it('counts the repeated hour twice in a window that covers it', () => {
    const repeated = calendar('America/New_York', [{ days: ['sun'], from: '01:00', to: '02:00' }]);
    expect(businessTimeBetween(repeated, at('2026-10-31T12:00Z'), at('2026-11-01T12:00Z'))).toBe(2 * HOUR);
    expect(iso(addBusinessTime(repeated, at('2026-10-31T12:00Z'), 1.5 * HOUR))).toBe('2026-11-01T06:30:00.000Z'); // 01:30 EST
  });
});

describe('pauses', () => {
  // Tuesday 24 November 2026, London (GMT); a 4 h target started at 10:00 is due at 14:00.
  const start = at('2026-11-24T10:00Z');
  const pause = (from: string, to?: string): Pause => (to === undefined ? { from: at(from) } : { from: at(from), to: at(to) });

  it('moves the due time on by the business time a pause takes', () => {
    expect(iso(dueAt(nineToFive, start, 4 * HOUR, [pause('2026-11-24T11:00Z', '2026-11-24T12:30Z')]))).toBe('2026-11-24T15:30:00.000Z');
  });

  it('changes nothing when the pause lies outside business hours', () => {
    const late = at('2026-11-24T16:00Z');
    expect(iso(dueAt(nineToFive, late, 2 * HOUR, [pause('2026-11-24T18:00Z', '2026-11-25T08:00Z')]))).toBe('2026-11-25T10:00:00.000Z');
  });

  it('counts only the business part of a pause that runs overnight into the morning', () => {
    const late = at('2026-11-24T16:00Z');
    expect(iso(dueAt(nineToFive, late, 2 * HOUR, [pause('2026-11-24T16:30Z', '2026-11-25T09:30Z')]))).toBe('2026-11-25T11:00:00.000Z');
  });

  it('counts overlapping pauses once, and ignores one before the start', () => {
    const pauses = [
      pause('2026-11-23T10:00Z', '2026-11-23T16:00Z'),
      pause('2026-11-24T11:00Z', '2026-11-24T12:00Z'),
      pause('2026-11-24T11:30Z', '2026-11-24T12:30Z'),
    ];
    expect(iso(dueAt(nineToFive, start, 4 * HOUR, pauses))).toBe('2026-11-24T15:30:00.000Z');
  });

  it('has no due time while the ticket waits for the customer', () => {
    expect(dueAt(nineToFive, start, 4 * HOUR, [pause('2026-11-24T11:00Z')])).toBeNull();
    expect(dueAt(ALWAYS_OPEN, start, 4 * HOUR, [pause('2026-11-24T11:00Z')])).toBeNull();
  });

  it('keeps a due time that passed before the open pause began', () => {
    expect(iso(dueAt(nineToFive, start, 4 * HOUR, [pause('2026-11-24T15:00Z')]))).toBe('2026-11-24T14:00:00.000Z');
  });

  it('leaves paused time out of the business time between two instants', () => {
    expect(businessTimeBetween(nineToFive, start, at('2026-11-24T15:30Z'), [pause('2026-11-24T11:00Z', '2026-11-24T12:30Z')])).toBe(4 * HOUR);
  });

  it('refuses a pause that ends before it begins', () => {
    expect(() => dueAt(nineToFive, start, HOUR, [pause('2026-11-24T12:00Z', '2026-11-24T11:00Z')])).toThrow(RangeError);
  });
});

describe('the business-hours config', () => {
  const valid = { timeZone: 'Europe/London', windows: [{ days: WEEKDAYS, from: '09:00', to: '17:30' }] };

  /** The issues the schema reports, as `path: message`. */
  function issues(input: unknown): string[] {
    const result = BusinessHoursConfig.safeParse(input);
    return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  }

  it('accepts weekly windows, a window crossing midnight, 24:00 as an end, and no holidays', () => {
    const parsed = BusinessHoursConfig.parse({
      timeZone: 'America/New_York',
      windows: [
        { days: WEEKDAYS, from: '09:00', to: '17:30' },
        { days: ['fri'], from: '22:00', to: '06:00' },
        { days: ['sun'], from: '12:00', to: '24:00' },
      ],
    });
    expect(parsed.holidays).toEqual([]);
    expect(iso(addBusinessTime(businessCalendar(parsed), at('2026-11-20T21:00-05:00'), 2 * HOUR))).toBe('2026-11-21T05:00:00.000Z'); // 00:00 EST
  });

  it('accepts windows that touch, across midnight too', () => {
    expect(
      issues({
        ...valid,
        windows: [
          { days: ['mon'], from: '09:00', to: '12:00' },
          { days: ['mon'], from: '12:00', to: '17:00' },
          { days: ['fri'], from: '22:00', to: '24:00' },
          { days: ['sat'], from: '00:00', to: '06:00' },
        ],
      }),
    ).toEqual([]);
  });

  it('names a time zone that does not exist', () => {
    expect(issues({ ...valid, timeZone: 'Europe/Lodnon' })).toEqual([
      'timeZone: "Europe/Lodnon" is not a time zone: expected an IANA name such as "Europe/London" or "America/New_York"',
    ]);
    expect(issues({ ...valid, timeZone: '+05:30' })).toHaveLength(1);
  });

  it('names a malformed time', () => {
    expect(issues({ ...valid, windows: [{ days: ['mon'], from: '9:00', to: '17:60' }] })).toEqual([
      'windows.0.from: "9:00" is not a time: expected HH:MM from 00:00 to 23:59',
      'windows.0.to: "17:60" is not a time: expected HH:MM from 00:00 to 24:00',
    ]);
    expect(issues({ ...valid, windows: [{ days: ['mon'], from: '24:00', to: '06:00' }] })).toEqual([
      'windows.0.from: "24:00" is not a time: expected HH:MM from 00:00 to 23:59; a window cannot open at 24:00, open it at 00:00 the next day',
    ]);
  });

  it('names an empty window', () => {
    expect(issues({ ...valid, windows: [{ days: ['mon'], from: '09:00', to: '09:00' }] })).toEqual([
      'windows.0: the window mon 09:00-09:00 is empty: it closes when it opens (a whole day is 00:00-24:00)',
    ]);
    expect(issues({ ...valid, windows: [{ days: [], from: '09:00', to: '17:00' }] })).toEqual(['windows.0.days: a window needs at least one day']);
    expect(issues({ ...valid, windows: [] })).toEqual([
      'windows: at least one window is needed; leave business hours out for a queue that is always open',
    ]);
  });

  it('names overlapping windows', () => {
    const windows = [
      { days: WEEKDAYS, from: '09:00', to: '17:00' },
      { days: ['wed'], from: '16:00', to: '18:00' },
    ];
    expect(issues({ ...valid, windows })).toEqual(['windows.1: windows overlap: wed 16:00-18:00 (window 2) and wed 09:00-17:00 (window 1)']);
  });

  it('names a window crossing midnight that overlaps the next morning, Sunday into Monday too', () => {
    expect(
      issues({
        ...valid,
        windows: [
          { days: ['fri'], from: '22:00', to: '06:00' },
          { days: ['sat'], from: '05:00', to: '09:00' },
        ],
      }),
    ).toEqual(['windows.1: windows overlap: sat 05:00-09:00 (window 2) and fri 22:00-06:00 (window 1)']);
    expect(
      issues({
        ...valid,
        windows: [
          { days: ['sun'], from: '22:00', to: '02:00' },
          { days: ['mon'], from: '01:00', to: '09:00' },
        ],
      }),
    ).toEqual(['windows.1: windows overlap: mon 01:00-09:00 (window 2) and sun 22:00-02:00 (window 1)']);
  });

  it('names a day listed twice, and a day that is not one', () => {
    expect(issues({ ...valid, windows: [{ days: ['mon', 'mon'], from: '09:00', to: '17:00' }] })).toEqual(['windows.0.days: "mon" is listed twice']);
    expect(issues({ ...valid, windows: [{ days: ['monday'], from: '09:00', to: '17:00' }] })).toHaveLength(1);
  });

  it('names a holiday that is not a date', () => {
    expect(issues({ ...valid, holidays: ['2026-12-25', '2026-02-30', '25/12/2026'] })).toEqual([
      'holidays.1: "2026-02-30" is not a date: expected YYYY-MM-DD, such as 2026-12-25',
      'holidays.2: "25/12/2026" is not a date: expected YYYY-MM-DD, such as 2026-12-25',
    ]);
  });

  it('refuses to build a calendar from hours that did not pass the schema', () => {
    const build = () => businessCalendar({ timeZone: 'Mars/Olympus_Mons', windows: [{ days: ['mon'], from: '09:00', to: '09:00' }], holidays: [] });
    expect(build).toThrow(ValidationError);
    expect(build).toThrow(/"Mars\/Olympus_Mons" is not a time zone.*the window mon 09:00-09:00 is empty/);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties, over random calendars in zones with and without daylight saving, with half- and
// quarter-hour offsets, with changes at midnight (Santiago, Havana) and by half an hour (Lord Howe).

const runs = { numRuns: Number(process.env.FUZZ_RUNS ?? 1000) };
// A run takes about a millisecond; the room lets a raised FUZZ_RUNS finish.
const timeout = Math.max(30_000, runs.numRuns * 10);

const ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/St_Johns',
  'America/Santiago',
  'America/Havana',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Asia/Tehran',
  'Australia/Adelaide',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Pacific/Apia',
  'Africa/Casablanca',
];

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const WEEK_MINUTES = 7 * 1440;
const DAY_NAMES: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const WEEK_FROM_MONDAY: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

const clock = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/**
 * Windows that never overlap, built from sorted points on the week (minutes from Monday 00:00)
 * taken in pairs and turned round the week by `turn`. A stretch longer than a day becomes
 * several windows; one across midnight is written either as one window (to < from) or as two.
 */
function windowsFrom(points: number[], turn: number, joinAcrossMidnight: boolean): BusinessWindowConfig[] {
  const sorted = [...points].sort((a, b) => a - b);
  const windows: BusinessWindowConfig[] = [];
  for (let pair = 0; pair + 1 < sorted.length; pair += 2) {
    let from = sorted[pair]! + turn;
    const to = sorted[pair + 1]! + turn;
    while (from < to) {
      const dayStart = Math.floor(from / 1440) * 1440;
      // Shorter than a day, or it would close when it opens.
      const crossing = joinAcrossMidnight && to - from < 1440 && to > dayStart + 1440;
      const end = crossing ? to : Math.min(to, dayStart + 1440);
      const close = end - dayStart === 1440 ? '24:00' : clock((end - dayStart) % 1440);
      windows.push({ days: [WEEK_FROM_MONDAY[Math.floor(from / 1440) % 7]!], from: clock(from - dayStart), to: close });
      from = end;
    }
  }
  return windows;
}

/** A window length in minutes from its config: to < from crosses midnight; 24:00 is 1440. */
function minutesOf(text: string) {
  return text === '24:00' ? 1440 : Number(text.slice(0, 2)) * 60 + Number(text.slice(3));
}

// The oracle: business hours read straight off the wall clock, written independently of the module.
const formatters = new Map<string, Intl.DateTimeFormat>();
function wallClock(timeZone: string, instant: number): { day: number; msOfDay: number } {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    const twoDigits = { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' } as const;
    format = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', ...twoDigits });
    formatters.set(timeZone, format);
  }
  const part = Object.fromEntries(format.formatToParts(instant).map(({ type, value }) => [type, Number(value)]));
  const local = Date.UTC(part.year!, part.month! - 1, part.day!, part.hour!, part.minute!, part.second!) + (instant % 1000);
  const day = Math.floor(local / DAY_MS);
  return { day, msOfDay: local - day * DAY_MS };
}

function utcOffset(timeZone: string, instant: number): number {
  const { day, msOfDay } = wallClock(timeZone, instant);
  return day * DAY_MS + msOfDay - instant;
}

/** Every instant in 2024-2027 at which a zone's clocks change, found day by day, then to the second. */
function clockChanges(timeZone: string): number[] {
  const changes: number[] = [];
  let before = utcOffset(timeZone, Date.UTC(2024, 0, 1));
  for (let day = Date.UTC(2024, 0, 1); day < Date.UTC(2028, 0, 1); day += DAY_MS) {
    const after = utcOffset(timeZone, day + DAY_MS);
    if (after !== before) {
      let [low, high] = [day, day + DAY_MS];
      while (high - low > 1000) {
        const middle = low + Math.floor((high - low) / 2000) * 1000;
        if (utcOffset(timeZone, middle) === before) low = middle;
        else high = middle;
      }
      changes.push(high);
    }
    before = after;
  }
  return changes;
}

const CLOCK_CHANGES = ZONES.flatMap((timeZone) => clockChanges(timeZone).map((at) => ({ timeZone, at })));

const weekPoint = fc.oneof(
  fc.integer({ min: 0, max: WEEK_MINUTES / 30 - 1 }).map((half) => half * 30),
  fc.integer({ min: 0, max: WEEK_MINUTES - 1 }),
);

// Starts over four years, half of them in the months when most zones change their clocks.
const anyInstant = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2028, 0, 1) });
const inAChangeMonth = fc
  .record({ year: fc.integer({ min: 2024, max: 2027 }), month: fc.constantFrom(2, 3, 8, 9, 10), ms: fc.integer({ min: 0, max: 31 * DAY_MS - 1 }) })
  .map(({ year, month, ms }) => Date.UTC(year, month, 1) + ms);
const startInstant = fc.oneof(anyInstant, inAChangeMonth);

interface Scenario {
  hours: BusinessHoursConfig;
  /** Open minutes in a week, to scale durations to the calendar. */
  weeklyMinutes: number;
  start: number;
}

function aScenario(timeZone: string, points: number[], joinAcrossMidnight: boolean, holidayDays: number[], start: number): Scenario {
  const unique = [...new Set(points.map((point) => ((point % WEEK_MINUTES) + WEEK_MINUTES) % WEEK_MINUTES))];
  if (unique.length < 2) unique.push((unique[0]! + 200) % WEEK_MINUTES);
  const windows = windowsFrom(unique.length % 2 === 0 ? unique : unique.slice(0, -1), 0, joinAcrossMidnight);
  const firstDay = wallClock(timeZone, start).day;
  const holidays = holidayDays.map((offset) => new Date((firstDay + offset) * DAY_MS).toISOString().slice(0, 10));
  const weeklyMinutes = windows.reduce((sum, window) => {
    const from = minutesOf(window.from);
    const to = minutesOf(window.to);
    return sum + (to > from ? to - from : to + 1440 - from);
  }, 0);
  return { hours: { timeZone, windows, holidays }, weeklyMinutes, start };
}

/** Any calendar in any of the zones, with holidays in the weeks after a start in 2024-2027. */
const anywhere: fc.Arbitrary<Scenario> = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    points: fc.uniqueArray(weekPoint, { minLength: 2, maxLength: 10 }),
    turn: fc.integer({ min: 0, max: WEEK_MINUTES - 1 }),
    joinAcrossMidnight: fc.boolean(),
    holidayDays: fc.uniqueArray(fc.integer({ min: -2, max: 30 }), { maxLength: 5 }),
    start: startInstant,
  })
  .map(({ timeZone, points, turn, joinAcrossMidnight, holidayDays, start }) =>
    aScenario(timeZone, points.map((point) => point + turn), joinAcrossMidnight, holidayDays, start),
  );

/**
 * A calendar with window ends within three hours of a real clock change in its zone (inside a
 * skipped or repeated hour, at its edges, across it), starting shortly before the change.
 */
const aroundAClockChange: fc.Arbitrary<Scenario> = fc
  .record({
    change: fc.constantFrom(...CLOCK_CHANGES),
    near: fc.uniqueArray(fc.oneof(fc.integer({ min: -12, max: 12 }).map((quarter) => quarter * 15), fc.integer({ min: -180, max: 180 })), {
      minLength: 1,
      maxLength: 6,
    }),
    far: fc.uniqueArray(weekPoint, { maxLength: 4 }),
    joinAcrossMidnight: fc.boolean(),
    holidayDays: fc.uniqueArray(fc.integer({ min: -2, max: 2 }), { maxLength: 2 }),
    startBefore: fc.integer({ min: 0, max: 15 * 3_600_000 }),
  })
  .map(({ change, near, far, joinAcrossMidnight, holidayDays, startBefore }) => {
    // The clock reading as the change happens, in minutes from Monday 00:00 (day 0 was a Thursday).
    const { day, msOfDay } = wallClock(change.timeZone, change.at - 1);
    const changeMinute = ((day + 3) % 7) * 1440 + Math.round((msOfDay + 1) / MINUTE_MS);
    const points = [...near.map((minutes) => changeMinute + minutes), ...far];
    return aScenario(change.timeZone, points, joinAcrossMidnight, holidayDays, change.at - startBefore);
  });

const scenario = fc.oneof(anywhere, aroundAClockChange);

/** A duration in ms, from none to three weeks' worth of the calendar's open time. */
const durationShare = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1_000_000 }));
const durationMs = (share: number, weeklyMinutes: number) => Math.floor((share / 1_000_000) * weeklyMinutes * MINUTE_MS * 3);

/** Which window occurrence (opening day and window number) the wall clock at `instant` falls in, if any. */
function windowShowing(hours: BusinessHoursConfig, instant: number): string | null {
  const { day, msOfDay } = wallClock(hours.timeZone, instant);
  const holiday = (d: number) => hours.holidays.includes(new Date(d * DAY_MS).toISOString().slice(0, 10));
  const weekday = (d: number) => DAY_NAMES[new Date(d * DAY_MS).getUTCDay()]!;
  for (const [index, window] of hours.windows.entries()) {
    const from = minutesOf(window.from) * MINUTE_MS;
    const to = minutesOf(window.to) * MINUTE_MS;
    const crossing = to < from;
    if (window.days.includes(weekday(day)) && !holiday(day) && msOfDay >= from && (crossing || msOfDay < to)) return `${day}/${index}`;
    if (crossing && window.days.includes(weekday(day - 1)) && !holiday(day - 1) && !holiday(day) && msOfDay < to) return `${day - 1}/${index}`;
  }
  return null;
}

/**
 * Open by the wall clock, or in the stretch of a fall-back night between two passes of the same
 * window (a window is one unbroken stretch, see business-calendar.ts).
 */
function openByWallClock(hours: BusinessHoursConfig, instant: number): boolean {
  if (windowShowing(hours, instant) !== null) return true;
  if (utcOffset(hours.timeZone, instant - 3 * 3_600_000) <= utcOffset(hours.timeZone, instant + 3 * 3_600_000)) return false;
  const before = new Set<string | null>();
  const after = new Set<string | null>();
  for (let minute = 1; minute <= 180; minute++) {
    before.add(windowShowing(hours, instant - minute * MINUTE_MS));
    after.add(windowShowing(hours, instant + minute * MINUTE_MS));
  }
  return [...before].some((window) => window !== null && after.has(window));
}

describe('business time, for any calendar', () => {
  it('never falls due outside business hours: the moment before the due time is open', { timeout }, () => {
    fc.assert(
      fc.property(scenario, durationShare, ({ hours, weeklyMinutes, start }, share) => {
        const ms = durationMs(share, weeklyMinutes);
        fc.pre(ms > 0);
        const due = addBusinessTime(businessCalendar(hours), new Date(start), ms / 1000).getTime();
        expect(openByWallClock(hours, due - 1)).toBe(true);
      }),
      runs,
    );
  });

  it('says an instant is business time exactly when the wall clock is in a window', { timeout }, () => {
    // Anywhere in the next three weeks, or in the next 15 hours (across the change, when there is one).
    const after = fc.oneof(fc.integer({ min: 0, max: 21 * DAY_MS }), fc.integer({ min: 0, max: 15 * 3_600_000 }));
    fc.assert(
      fc.property(scenario, after, ({ hours, start }, later) => {
        const instant = start + later;
        expect(isBusinessTime(businessCalendar(hours), new Date(instant))).toBe(openByWallClock(hours, instant));
      }),
      runs,
    );
  });

  it('never moves the due time earlier when more time is added', { timeout }, () => {
    fc.assert(
      fc.property(scenario, durationShare, durationShare, ({ hours, weeklyMinutes, start }, a, b) => {
        const calendar = businessCalendar(hours);
        const [shorter, longer] = [durationMs(Math.min(a, b), weeklyMinutes), durationMs(Math.max(a, b), weeklyMinutes)];
        const first = addBusinessTime(calendar, new Date(start), shorter / 1000).getTime();
        const second = addBusinessTime(calendar, new Date(start), longer / 1000).getTime();
        expect(second).toBeGreaterThanOrEqual(first);
      }),
      runs,
    );
  });

  it('counts back exactly the business time it added', { timeout }, () => {
    fc.assert(
      fc.property(scenario, durationShare, ({ hours, weeklyMinutes, start }, share) => {
        const calendar = businessCalendar(hours);
        const seconds = durationMs(share, weeklyMinutes) / 1000;
        const due = addBusinessTime(calendar, new Date(start), seconds);
        expect(businessTimeBetween(calendar, new Date(start), due)).toBe(seconds);
      }),
      runs,
    );
  });

  it('adds a then b as it adds a + b', { timeout }, () => {
    fc.assert(
      fc.property(scenario, durationShare, durationShare, ({ hours, weeklyMinutes, start }, a, b) => {
        const calendar = businessCalendar(hours);
        const [first, second] = [durationMs(a, weeklyMinutes), durationMs(b, weeklyMinutes)];
        const inTwoSteps = addBusinessTime(calendar, addBusinessTime(calendar, new Date(start), first / 1000), second / 1000);
        expect(inTwoSteps.getTime()).toBe(addBusinessTime(calendar, new Date(start), (first + second) / 1000).getTime());
      }),
      runs,
    );
  });

  /** Up to four pauses from a day before the start on, one in eight of them still going on. */
  const pauses = (start: number) =>
    fc
      .array(
        fc.record({
          from: fc.integer({ min: -DAY_MS, max: 21 * DAY_MS }).map((ms) => new Date(start + ms)),
          length: fc.option(fc.integer({ min: 0, max: 3 * DAY_MS }), { freq: 8 }),
        }),
        { maxLength: 4 },
      )
      .map((list) => list.map(({ from, length }): Pause => (length === null ? { from } : { from, to: new Date(from.getTime() + length) })));

  it('only ever moves the due time later for pauses, and counts the time outside them exactly', { timeout }, () => {
    fc.assert(
      fc.property(
        scenario.chain((s) => fc.tuple(fc.constant(s), durationShare, pauses(s.start))),
        ([{ hours, weeklyMinutes, start }, share, paused]) => {
          const calendar = businessCalendar(hours);
          const seconds = durationMs(share, weeklyMinutes) / 1000;
          const plain = addBusinessTime(calendar, new Date(start), seconds);
          const due = dueAt(calendar, new Date(start), seconds, paused);
          if (due === null) {
            // Only a pause still going on, begun before the target was reached, leaves no due time.
            const stillPaused = paused.filter((pause) => pause.to === undefined).map((pause) => pause.from.getTime());
            expect(stillPaused.length).toBeGreaterThan(0);
            expect(businessTimeBetween(calendar, new Date(start), new Date(Math.min(...stillPaused)), paused)).toBeLessThan(seconds);
            return;
          }
          expect(due.getTime()).toBeGreaterThanOrEqual(plain.getTime());
          expect(businessTimeBetween(calendar, new Date(start), due, paused)).toBe(seconds);
        },
      ),
      runs,
    );
  });

  it('is plain addition when the calendar is open around the clock, in any zone', { timeout }, () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), startInstant, fc.integer({ min: 0, max: 30 * DAY_MS }), (timeZone, start, ms) => {
        const everyHour = businessCalendar({ timeZone, windows: [{ days: EVERY_DAY, from: '00:00', to: '24:00' }], holidays: [] });
        for (const calendar of [ALWAYS_OPEN, everyHour]) {
          expect(addBusinessTime(calendar, new Date(start), ms / 1000).getTime()).toBe(start + ms);
          expect(businessTimeBetween(calendar, new Date(start), new Date(start + ms))).toBe(ms / 1000);
        }
      }),
      runs,
    );
  });
});
