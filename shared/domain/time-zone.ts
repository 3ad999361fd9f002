/**
 * Whether `name` is an IANA time zone Intl knows ("Europe/London", "America/New_York"). Intl also
 * takes fixed offsets such as "+05:30" on newer runtimes; those are not zones (no daylight saving,
 * no history), so they are refused. Each name is asked of Intl once: a zone found builds the
 * formatter wallClockTime reads it with, and a name refused is remembered.
 */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z]/.test(name) || NOT_ZONES.has(name)) return false;
  try {
    wallClockFormat(name);
    return true;
  } catch {
    NOT_ZONES.add(name);
    return false;
  }
}

/** The message for a configured zone that is not one, naming what is expected. */
export function notATimeZone(name: string): string {
  return `"${name}" is not a time zone: expected an IANA name such as "Europe/London" or "America/New_York"`;
}

/** One formatter per zone: constructing one costs far more than formatting with it. */
const WALL_CLOCK_FORMATS = new Map<string, Intl.DateTimeFormat>();
/** Names Intl refused as zones (configured names: a handful at most). */
const NOT_ZONES = new Set<string>();

function wallClockFormat(timeZone: string): Intl.DateTimeFormat {
  let format = WALL_CLOCK_FORMATS.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    WALL_CLOCK_FORMATS.set(timeZone, format);
  }
  return format;
}

/**
 * The wall-clock reading of `timeZone` at `instant`, as milliseconds on a local timeline (the
 * local date and time read as if they were UTC). Offsets are looked up per instant, so daylight
 * saving and a zone's history are Intl's. Throws for a zone Intl does not know (see isTimeZone).
 */
export function wallClockTime(timeZone: string, instant: number): number {
  const field = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of wallClockFormat(timeZone).formatToParts(instant)) {
    if (part.type in field) field[part.type as keyof typeof field] = Number(part.value);
  }
  // Intl shows whole seconds; the milliseconds carry over unchanged (offsets are whole seconds).
  const milliseconds = ((instant % 1000) + 1000) % 1000;
  return Date.UTC(field.year, field.month - 1, field.day, field.hour, field.minute, field.second) + milliseconds;
}
