// Case-insensitive string comparisons for equals-ignore-case and its prefix/suffix forms (spec §2.2–§2.4).
// Both foldings are compared because a case pair can differ in length or fold one way only
// (`ⱥ`/`Ⱥ`, `ß`/`SS`); one folding alone would miss some pairs the service treats as equal.
import type { StringTest } from './value-test.ts';

export function equalsIgnoringCase(expected: string): StringTest {
  const lower = expected.toLowerCase();
  const upper = expected.toUpperCase();
  return (value) => value === expected || value.toLowerCase() === lower || value.toUpperCase() === upper;
}

export function startsWithIgnoringCase(prefix: string): StringTest {
  const lower = prefix.toLowerCase();
  const upper = prefix.toUpperCase();
  return (value) => value.toLowerCase().startsWith(lower) || value.toUpperCase().startsWith(upper);
}

export function endsWithIgnoringCase(suffix: string): StringTest {
  const lower = suffix.toLowerCase();
  const upper = suffix.toUpperCase();
  return (value) => value.toLowerCase().endsWith(lower) || value.toUpperCase().endsWith(upper);
}
