/**
 * Whether `name` is an IANA time zone Intl knows ("Europe/London", "America/New_York"). Intl also
 * takes fixed offsets such as "+05:30" on newer runtimes; those are not zones (no daylight saving,
 * no history), so they are refused.
 */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z]/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The message for a configured zone that is not one, naming what is expected. */
export function notATimeZone(name: string): string {
  return `"${name}" is not a time zone: expected an IANA name such as "Europe/London" or "America/New_York"`;
}
