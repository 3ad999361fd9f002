import type { Entities } from '#contracts/classification';
import { isAirportCode } from './airports.ts';
import { decodeHtmlEntities } from './text-features.ts';

// Two-character airline designators (letters, or a letter and a digit) followed by 1-4 digits.
// Upper case anywhere ("UA123", "BA 2490"); any case right after the word "flight" ("flight ua123").
const FLIGHT_UPPER = /\b([A-Z][A-Z]|[A-Z][0-9]|[0-9][A-Z])\s?([0-9]{1,4})\b/g;
const FLIGHT_AFTER_WORD = /\bflight\s+(?:#\s?)?([a-z][a-z]|[a-z][0-9]|[0-9][a-z])\s?([0-9]{1,4})\b/gi;

/** Words typed in capitals ("THE worst", "BAD service") that are also airport codes: airports only in a route. */
const CAPITALISED_WORDS = new Set(
  (
    'THE AND FOR ALL ARE CAN HER DAY GET HAS HIM MAN NEW BOY LET PUT SAY SHE TOO ASK BIG CAR CUT FAR GOT HOT MAY OFF RUN SIT TEN ' +
    'TOP YES YET BAD BAG BED DOG EAT END FUN GUY LAW LAY PER SIR SON SUN TEA WIN ACT ADD ARM ART BAR CAT CUP DAD DIE DUE EAR FAT ' +
    'KID LAP MAD PEN PET PIE POP POT ROW SEA SPY TOE VAN LOL PLS TBH NAH YAY TSA USA CNN ABC NBC AMA ATM STD OMG WTF SMH FAA CEO ' +
    'WHY NOW HOW WHO YOU NOT OUT ANY ONE TWO SIX OUR ITS WAS DID USE PNR ETA ETD'
  ).split(' '),
);
const ROUTE_WORD = /\b(?:from|to|at|in|into|via|out of|leaving|departing|arriving|landed in|landing in|flying)\s*$/i;
/** "JFK-LHR", "LAX > SFO", "ORD to DEN": a code next to another code. */
const ROUTE_BEFORE = /\b[A-Z]{3}\s*(?:-|–|—|>|→|✈️?|\/|to)\s*$/;
const ROUTE_AFTER = /^\s*(?:-|–|—|>|→|✈️?|\/|to)\s*[A-Z]{3}\b/;
const ROUTE_JOIN = /^\s*(?:-|–|—|>|→|✈️?|\/|to)\s*$/i;

const BOOKING_CONTEXT = /\b(?:confirmation|conf|booking|reservation|record locator|locator|pnr|ref|reference|res|itinerary)(?:\s*(?:code|number|no\.?|#|is|:|=))*\s*#?\s*$/i;
const BOOKING_CANDIDATE = /\b[A-Za-z0-9]{6}\b/g;
/** Six-letter words with at most one vowel, which the vowel test alone would take for a locator. */
const SPELLED_WORDS = new Set(['THANKS', 'STRESS', 'SCRIPT', 'STRICT', 'LENGTH', 'RHYTHM', 'SPRING', 'STRING', 'STRONG', 'SCHOOL', 'FLIGHT', 'TRAVEL', 'CHECKS', 'THINGS']);

const NUMBER_WORDS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  fifteen: 15, twenty: 20, thirty: 30, forty: 40, 'forty-five': 45, ninety: 90,
};
const NUMBER = String.raw`\d{1,3}(?:[.,]\d+)?`;
const NUMBER_WORD = String.raw`an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty(?:-five)?|ninety`;
// "3 hours", "2hrs", "4h", "2h30", "1.5 hours", "2 hrs 15 mins", "an hour and a half", "45 min".
// A number word takes a space and a unit of two letters or more: "I am" is not "a m(inute)",
// "ah well" is not "a h(our)".
const DURATION = new RegExp(
  String.raw`\b(?:(?:(?<hours>${NUMBER})\s*\+?\s*(?:hours?|hrs?|h)|(?<hourWords>${NUMBER_WORD})\s+(?:hours?|hrs?))\b` +
    String.raw`(?:\s*(?:and\s+)?(?:(?<half>a\s+half)|(?<extraMinutes>\d{1,2})\s*(?:minutes?|mins?|m)\b))?` +
    String.raw`|(?<clockHours>\d{1,2})h(?<clockMinutes>\d{2})\b` +
    String.raw`|(?<halfHour>half an? hour)` +
    String.raw`|(?:(?<minutes>${NUMBER})\s*(?:minutes?|mins?|m)|(?<minuteWords>${NUMBER_WORD})\s+(?:minutes?|mins?))\b)`,
  'gi',
);
const SINCE_CLOCK = /\bsince\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?=\W|$)/gi;
/** A wait named right after these is a phone, chat or check-in queue, not a late flight. */
const NOT_A_FLIGHT_WAIT = /\b(?:hold|phone|call|calls|calling|chat|line|queue|email|reply|response|dm|refund)\b[^.!?]{0,24}$/i;
const FLIGHT_WAIT_WORD = /\b(?:delay\w*|late|flight|plane|tarmac|gate|runway|departure|boarding)\b/i;
const LONGEST_PLAUSIBLE_MINUTES = 72 * 60;

/**
 * What an agent needs from a post at a glance: flight numbers normalised like `UA123`, the
 * airports it names (IATA codes checked against a table of real airports; a code that is also
 * a common word in capitals counts only in a route: "from LAX", "JFK-LHR"), booking references
 * (6 characters, only where the words before say it is one), and the longest wait it states
 * in minutes ("3 hours", "45 min", "2hrs", or "since 6am" counted against `createdAt`, the
 * post's own clock).
 */
export function extractEntities(text: string, createdAt?: string): Entities {
  const decoded = decodeHtmlEntities(text).replace(/\bhttps?:\/\/\S+/gi, ' ');
  return {
    flightNumbers: flightNumbers(decoded),
    airports: airports(decoded),
    bookingRefs: bookingRefs(decoded),
    delayMinutes: delayMinutes(decoded, createdAt),
  };
}

/** Aircraft types written like a designator and a number ("A350", "B737", "E175"). */
const AIRCRAFT_TYPE = /^(?:A3[0-8]\d|A2[0-2]\d|B7[0-8]\d|E1[4-9]\d|E2[0-9]\d)$/;
/** "gate B12", "seat 3A", "row 12": places, not flights. */
const PLACE_BEFORE = /\b(?:gate|gates|seat|seats|row|terminal|concourse|door|zone|pier|stand|carousel|belt)\s*$/i;

function flightNumbers(text: string): string[] {
  const found = new Set<string>();
  for (const pattern of [FLIGHT_UPPER, FLIGHT_AFTER_WORD]) {
    for (const match of text.matchAll(pattern)) {
      if (AIRCRAFT_TYPE.test(match[0]) || PLACE_BEFORE.test(text.slice(Math.max(0, match.index - 12), match.index))) continue;
      found.add(`${match[1]!.toUpperCase()}${Number(match[2])}`);
    }
  }
  return [...found];
}

function airports(text: string): string[] {
  const candidates = [...text.matchAll(/\b[A-Za-z]{3}\b/g)].filter((match) => isAirportCode(match[0].toUpperCase()));
  const found = new Set<string>();
  const accepted = new Set<number>();
  for (const match of candidates) {
    const code = match[0].toUpperCase();
    const before = text.slice(Math.max(0, match.index - 16), match.index);
    const after = text.slice(match.index + 3, match.index + 12);
    const inRoute = ROUTE_WORD.test(before) || ROUTE_BEFORE.test(before) || ROUTE_AFTER.test(after);
    const common = CAPITALISED_WORDS.has(code);
    if (match[0] === code ? !common || inRoute : inRoute && !common) {
      found.add(code);
      accepted.add(match.index);
    }
  }
  // "jfk to sfo": a lower-case code joined to an airport already found is the other end of the route.
  for (const match of candidates) {
    const code = match[0].toUpperCase();
    if (accepted.has(match.index) || CAPITALISED_WORDS.has(code)) continue;
    const joinedTo = (other: RegExpExecArray) =>
      accepted.has(other.index) && ROUTE_JOIN.test(text.slice(Math.min(match.index, other.index) + 3, Math.max(match.index, other.index)));
    if (candidates.some(joinedTo)) found.add(code);
  }
  return [...found].sort((a, b) => text.toUpperCase().indexOf(a) - text.toUpperCase().indexOf(b));
}

function bookingRefs(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(BOOKING_CANDIDATE)) {
    const candidate = match[0].toUpperCase();
    if (!/[A-Z]/.test(candidate) || /^[A-Z]{2}\d{1,4}$/.test(candidate)) continue;
    // A record locator is random: spelled-out words ("PLEASE", "travel") have vowels a locator rarely has.
    if (!/\d/.test(candidate) && ((candidate.match(/[AEIOUY]/g)?.length ?? 0) > 1 || SPELLED_WORDS.has(candidate))) continue;
    if (BOOKING_CONTEXT.test(text.slice(Math.max(0, match.index - 40), match.index))) found.add(candidate);
  }
  return [...found];
}

function delayMinutes(text: string, createdAt?: string): number | null {
  let longest: number | null = null;
  const consider = (minutes: number, index: number) => {
    if (!(minutes > 0) || minutes > LONGEST_PLAUSIBLE_MINUTES) return;
    const before = text.slice(Math.max(0, index - 40), index);
    const queue = NOT_A_FLIGHT_WAIT.exec(before);
    // "on hold 1 hr & delayed 4 hrs": a flight word after the queue word makes it a flight wait again.
    if (queue && !FLIGHT_WAIT_WORD.test(before.slice(queue.index).replace(/^\S+/, ''))) return;
    longest = Math.max(longest ?? 0, Math.round(minutes));
  };
  for (const match of text.matchAll(DURATION)) {
    const { half, extraMinutes, clockHours, clockMinutes, halfHour } = match.groups!;
    const hours = match.groups!.hours ?? match.groups!.hourWords;
    const minutes = match.groups!.minutes ?? match.groups!.minuteWords;
    if (hours !== undefined) consider(amount(hours) * 60 + (half ? 30 : 0) + Number(extraMinutes ?? 0), match.index);
    else if (clockHours !== undefined) consider(Number(clockHours) * 60 + Number(clockMinutes), match.index);
    else if (halfHour !== undefined) consider(30, match.index);
    else if (minutes !== undefined) consider(amount(minutes), match.index);
  }
  const clock = createdAt?.match(/T(\d{2}):(\d{2})/);
  if (clock) {
    const postedAt = Number(clock[1]) * 60 + Number(clock[2]);
    for (const match of text.matchAll(SINCE_CLOCK)) {
      const [, hourText, minuteText, meridiem] = match;
      let hour = Number(hourText);
      if (hour > 23 || Number(minuteText ?? 0) > 59) continue;
      if (meridiem?.toLowerCase().startsWith('p') && hour < 12) hour += 12;
      if (meridiem?.toLowerCase().startsWith('a') && hour === 12) hour = 0;
      const waited = postedAt - (hour * 60 + Number(minuteText ?? 0));
      // Without am/pm, "since 6" before a 7 pm post most likely means 6 pm.
      const adjusted = !meridiem && waited > 12 * 60 ? waited - 12 * 60 : waited;
      if (adjusted > 0 && adjusted <= 16 * 60) consider(adjusted, match.index);
    }
  }
  return longest;
}

function amount(text: string): number {
  const word = NUMBER_WORDS[text.toLowerCase()];
  return word ?? Number(text.replace(',', '.'));
}
