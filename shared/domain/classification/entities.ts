import type { Entities } from '#contracts/classification';

// Two-character airline designators (letters, or a letter and a digit) followed by 1-4 digits.
// Upper case anywhere ("UA123", "BA 2490"); any case right after the word "flight" ("flight ua123").
const FLIGHT_UPPER = /\b([A-Z][A-Z]|[A-Z][0-9]|[0-9][A-Z])\s?([0-9]{1,4})\b/g;
const FLIGHT_AFTER_WORD = /\bflight\s+(?:#\s?)?([a-z][a-z]|[a-z][0-9]|[0-9][a-z])\s?([0-9]{1,4})\b/gi;
const HOURS = /\b(\d{1,2}(?:\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve)\s*(?:\+\s*)?(?:hours?|hrs?|h)\b/g;
const MINUTES = /\b(\d{1,3})\s*(?:minutes?|mins?|m)\b/g;
const WORD_NUMBERS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, twelve: 12,
};

/**
 * Entities the rules can find reliably in raw text. Airports and booking references need the
 * airport table and context rules of the trained classifier, so they stay empty here.
 */
export function extractEntities(rawText: string, normalized: string): Entities {
  return {
    flightNumbers: flightNumbers(rawText),
    airports: [],
    bookingRefs: [],
    delayMinutes: delayMinutes(normalized),
  };
}

function flightNumbers(text: string): string[] {
  const found = new Set<string>();
  for (const pattern of [FLIGHT_UPPER, FLIGHT_AFTER_WORD]) {
    for (const match of text.matchAll(pattern)) {
      found.add(`${match[1]!.toUpperCase()}${Number(match[2])}`);
    }
  }
  return [...found];
}

/** The longest stated wait ("3 hours", "2hrs", "45 min"), in minutes, or null when none is stated. */
function delayMinutes(text: string): number | null {
  let longest: number | null = null;
  for (const match of text.matchAll(HOURS)) {
    const hours = WORD_NUMBERS[match[1]!] ?? Number(match[1]);
    longest = Math.max(longest ?? 0, Math.round(hours * 60));
  }
  for (const match of text.matchAll(MINUTES)) longest = Math.max(longest ?? 0, Number(match[1]));
  return longest;
}
