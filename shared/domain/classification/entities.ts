import type { Entities } from '#contracts/classification';
import { isTimeZone, wallClockTime } from '../time-zone.ts';
import { isAirportCode } from './airports.ts';
import { decodeHtmlEntities } from './text-features.ts';

/**
 * What an agent needs from a post at a glance: flight numbers normalised like `UA123`, the
 * airports it names (IATA codes checked against a table of real airports; a code that is also
 * a common word in capitals counts only in a route: "from LAX", "JFK-LHR"), booking references
 * (6 characters, only where the words before say it is one), and the longest flight wait it
 * states in minutes ("3 hours", "45 min", "2hrs", "since 6am" counted on the poster's clock, or a
 * time moved from one clock time to another: "supposed to leave at 9am, now leaving at 1pm", "sat at
 * the gate from noon to 5").
 *
 * The poster's clock for "since 6am" comes from `createdAt`:
 * - with its own non-zero offset ("2015-02-24T11:35:52-08:00"), the time as written is the local clock;
 * - in UTC ("...Z", "+00:00"), which is how X and Meta date posts, the instant is read on the wall
 *   clock of `timeZone`, the IANA zone the brand configures ("America/Chicago"). Without a zone
 *   a "since" is not counted at all: UTC is rarely the poster's clock, and a wrong wait is worse
 *   than none. A zone Intl does not know counts as no zone: classification must not throw on a
 *   bad config value (the config schema rejects it with `isTimeZone` from #domain/time-zone);
 * - without any offset, the time as written is taken as the local clock.
 */
export function extractEntities(text: string, createdAt?: string, timeZone?: string): Entities {
  const decoded = decodeHtmlEntities(text).replace(LINK, ' ');
  return {
    flightNumbers: flightNumbers(decoded),
    airports: airports(decoded),
    bookingRefs: bookingRefs(decoded),
    delayMinutes: delayMinutes(decoded, createdAt, timeZone),
  };
}

const LINK = /\bhttps?:\/\/\S+/gi;

// ---------------------------------------------------------------------------------------------
// Flight numbers

// Two-character airline designators (letters, or a letter and a digit) followed by 1-4 digits.
// Upper case anywhere ("UA123", "BA 2490"); any case right after the word "flight" ("flight ua123"),
// also after "flight number", "flight no.", "flight #" ("flight number: ua 1234").
const FLIGHT_UPPER = /\b([A-Z][A-Z]|[A-Z][0-9]|[0-9][A-Z])(\s?)([0-9]{1,4})\b/g;
const FLIGHT_AFTER_WORD = /\bflight\s*(?:(?:number|num|no\.?|nr\.?)\s*:?\s*|#\s*|:\s*)?([a-z][a-z]|[a-z][0-9]|[0-9][a-z])(\s?)([0-9]{1,4})\b/gi;
/**
 * English two-letter words that look like a designator when a number follows after a space:
 * "flight at 3:45", "IS 4 HOURS LATE", "NO 1 cares". Refused only with the space, so "IT123"
 * written together still counts. AS (Alaska), US (US Airways), AM (Aeroméxico), HA (Hawaiian) and
 * LO (LOT) are left out: "AS 331", "HA 51" are how posts name those flights, and "AS 2 hours"
 * falls to the unit rule below.
 */
const ENGLISH_TWO_LETTER_WORDS = new Set(
  'AT IN IS TO ON OF BY NO SO UP OR IT IF MY ME WE BE DO GO AN OK HI OH HE AH EH UH YA YO OW MA PA ID IM PM DM TV'.split(' '),
);
/** A number followed by a time unit or a clock's colon is a time, not a flight: "LA 2 hours", "at 3:45". */
const TIME_AFTER_NUMBER = /^(?::\d|\s*(?:hours?|hrs?|h|minutes?|mins?|am|pm|a\.m|p\.m|days?|weeks?|months?|years?|yrs?)\b)/i;
/** Aircraft types written like a designator and a number ("A350", "B737", "E175"). */
const AIRCRAFT_TYPE = /^(?:A3[0-8]\d|A2[0-2]\d|B7[0-8]\d|E1[4-9]\d|E2[0-9]\d)$/;
/** "gate B12", "seat 3A", "row 12": places, not flights. */
const PLACE_BEFORE = /\b(?:gate|gates|seat|seats|row|terminal|concourse|door|zone|pier|stand|carousel|belt)\s*$/i;

function flightNumbers(text: string): string[] {
  const found = new Set<string>();
  for (const pattern of [FLIGHT_UPPER, FLIGHT_AFTER_WORD]) {
    for (const match of text.matchAll(pattern)) {
      const [whole, designatorText, space, digits] = match;
      const designator = designatorText!.toUpperCase();
      const end = match.index + whole.length;
      if (space && ENGLISH_TWO_LETTER_WORDS.has(designator)) continue;
      if (TIME_AFTER_NUMBER.test(text.slice(end, end + 8))) continue;
      if (AIRCRAFT_TYPE.test(`${designator}${digits}`) || PLACE_BEFORE.test(text.slice(Math.max(0, match.index - 12), match.index))) continue;
      found.add(`${designator}${Number(digits)}`);
    }
  }
  return [...found];
}

// ---------------------------------------------------------------------------------------------
// Airports

/**
 * Words and abbreviations typed in capitals ("THE worst", "BAD service", "3 HRS", "737 MAX") that
 * are also airport codes: airports only after a lower-case route word ("flying to SAT") or next
 * to another code ("SAT-DFW"). Busy airports stay out even when they spell a word (DEN, SIN, OAK,
 * DUB, NAP), except SEA and MAD, which are shouted too often.
 */
const CAPITALISED_WORDS = new Set(
  (
    'THE AND FOR ALL ARE CAN HER DAY GET HAS HIM MAN NEW BOY LET PUT SAY SHE TOO ASK BIG CAR CUT FAR GOT HOT MAY OFF RUN SIT TEN ' +
    'TOP YES YET BAD BAG BED DOG EAT END FUN GUY LAW LAY PER SIR SON SUN TEA WIN ACT ADD ARM ART BAR CAT CUP DAD DIE DUE EAR FAT ' +
    'KID LAP MAD PEN PET PIE POP POT ROW SEA SPY TOE VAN LOL PLS TBH NAH YAY TSA USA CNN ABC NBC AMA ATM STD OMG WTF SMH FAA CEO ' +
    'WHY NOW HOW WHO YOU NOT OUT ANY ONE TWO SIX OUR ITS WAS DID USE PNR ETA ETD ' +
    // Rant words
    'HAD INN BUS MAX HRS MEN MUD FOG GYM LED BET BAY HOP HUH MEH GRR BRO GAL PAL PUB JAM SIS POW BEG TAG ' +
    // Abbreviations
    'PLZ MRS ATC MVP BFF SMS IVR TOS DIY GMA CIA NFL TIX CHG REP INV UNI ' +
    // Days and months ("SAT 5PM", "JAN 12")
    'MON THU FRI SAT JAN MAR JUL AUG NOV DEC ' +
    // Airlines by their tickers or names (Southwest, PSA Airlines, TAP, ITA Airways)
    'SWA LUV PSA TAP ITA'
  ).split(' '),
);
const THREE_LETTERS = /\b[A-Za-z]{3}\b/g;
const ROUTE_WORD = /\b(?:from|to|at|in|into|via|out of|leaving|departing|arriving|landed in|landing in|flying)\s*$/i;
/** "JFK-LHR", "LAX > SFO", "ORD to DEN": a code next to another code. */
const ROUTE_BEFORE = /\b([A-Z]{3})\s*(?:-|–|—|>|→|✈️?|\/|to)\s*$/;
const ROUTE_AFTER = /^\s*(?:-|–|—|>|→|✈️?|\/|to)\s*([A-Z]{3})\b/;
const ROUTE_JOIN = /^\s*(?:-|–|—|>|→|✈️?|\/|to)\s*$/i;

/** Joined to a code that is not a word too ("SAT-DFW", "MAD-NYC"), not to another word ("THE-END"). */
const isPlainCode = (code: string | undefined) => code !== undefined && !CAPITALISED_WORDS.has(code);

function airports(text: string): string[] {
  const candidates = [...text.matchAll(THREE_LETTERS)].filter((match) => isAirportCode(match[0].toUpperCase()));
  const firstSeen = new Map<string, number>();
  const accepted = new Set<number>();
  const accept = (code: string, index: number) => {
    if (!firstSeen.has(code) || firstSeen.get(code)! > index) firstSeen.set(code, index);
    accepted.add(index);
  };
  for (const match of candidates) {
    const code = match[0].toUpperCase();
    const before = text.slice(Math.max(0, match.index - 16), match.index);
    const after = text.slice(match.index + 3, match.index + 12);
    const routeWord = ROUTE_WORD.exec(before)?.[0].trim();
    const codeBefore = ROUTE_BEFORE.exec(before)?.[1];
    const codeAfter = ROUTE_AFTER.exec(after)?.[1];
    const common = CAPITALISED_WORDS.has(code);
    if (match[0] !== code) {
      // Lower case: a route word or a code must say it is a place, and never for a common word.
      if (!common && (routeWord !== undefined || codeBefore !== undefined || codeAfter !== undefined)) accept(code, match.index);
    } else if (!common) {
      accept(code, match.index);
    } else {
      // A shouted word after a shouted route word is a rant ("WHAT HAPPENED TO THE PLANE"):
      // the route word must be typed in lower case, or the code joined to a code that is not a word.
      const lowerRouteWord = routeWord !== undefined && routeWord !== routeWord.toUpperCase();
      if (lowerRouteWord || isPlainCode(codeBefore) || isPlainCode(codeAfter)) accept(code, match.index);
    }
  }
  // "jfk to sfo": a lower-case code joined to an airport already found is the other end of the route.
  for (const match of candidates) {
    const code = match[0].toUpperCase();
    if (accepted.has(match.index) || CAPITALISED_WORDS.has(code)) continue;
    const joinedTo = (other: RegExpExecArray) =>
      accepted.has(other.index) && ROUTE_JOIN.test(text.slice(Math.min(match.index, other.index) + 3, Math.max(match.index, other.index)));
    if (candidates.some(joinedTo)) accept(code, match.index);
  }
  return [...firstSeen].sort((a, b) => a[1] - b[1]).map(([code]) => code);
}

// ---------------------------------------------------------------------------------------------
// Booking references

/**
 * The words before a reference. Confirmation, locator and PNR only ever name a record locator
 * (strong); booking, reservation, ref and itinerary are also everyday words ("my reservation
 * starts friday"), so what follows them must look random (weak). Punctuation may sit between:
 * "ref.", "PNR-", "(", "locator - ".
 */
const BOOKING_CONTEXT =
  /\b(?:(?<strong>confirmation|conf|record locator|locator|pnr)|booking|reservation|ref|reference|res|itinerary)\.?(?:\s*(?:code|number|no\.?|#|is|:|=|-|–|\())*\s*$/i;
const BOOKING_CANDIDATE = /\b[A-Za-z0-9]{6}\b/g;
const HAS_LETTER = /[A-Z]/;
const HAS_DIGIT = /\d/;
const VOWELS = /[AEIOUY]/g;
const LOOKS_LIKE_FLIGHT = /^[A-Z]{2}\d{1,4}$/;
/** "100USD", "3NIGHT", "2HOURS": an amount with its unit. */
const AMOUNT_WITH_UNIT = /^\d+(?:USD|EUR|GBP|CAD|AUD|MXN|NIGHTS?|DAYS?|HRS?|HOURS?|MINS?|AM|PM|PPL|PAX|KG|LBS?|MILES?|PTS|K)$/;
/** Six-letter words typed after the context words ("confirmation number PLEASE") that the vowel test alone would not refuse. */
const SIX_LETTER_WORDS = new Set(
  (
    'THANKS STRESS SCRIPT STRICT LENGTH RHYTHM SPRING STRING STRONG SCHOOL FLIGHT TRAVEL CHECKS THINGS STARTS ' +
    'PLEASE ALWAYS SHOULD NEEDED BEFORE CHANGE CANNOT STATUS SYSTEM NUMBER ONLINE DOESNT EMAILS ISSUED RECORD ' +
    'BOOKED UNITED ALASKA SPIRIT SEARCH CALLED LOOKED AGENTS ANYONE AROUND SHOWED DIDNT'
  ).split(' '),
);

/** Every context word's start, for the posts that have none (nearly all): their six-character words need no look. */
const ANY_BOOKING_CONTEXT = /\b(?:conf|locator|pnr|booking|ref|res|itinerary)/i;

function bookingRefs(text: string): string[] {
  if (!ANY_BOOKING_CONTEXT.test(text)) return [];
  const found = new Set<string>();
  for (const match of text.matchAll(BOOKING_CANDIDATE)) {
    const candidate = match[0].toUpperCase();
    if (!HAS_LETTER.test(candidate) || LOOKS_LIKE_FLIGHT.test(candidate) || AMOUNT_WITH_UNIT.test(candidate)) continue;
    const context = BOOKING_CONTEXT.exec(text.slice(Math.max(0, match.index - 40), match.index));
    if (!context) continue;
    if (!HAS_DIGIT.test(candidate) && !isLetterLocator(match[0], candidate, context.groups!.strong !== undefined)) continue;
    found.add(candidate);
  }
  return [...found];
}

/**
 * Whether an all-letter candidate is a locator rather than a word. Locators are random and shown
 * in capitals; words have vowels. After a strong context a capitalised candidate with vowels
 * ("KOAEBX") is still a locator; after a weak one only a vowel-poor capitalised one is.
 */
function isLetterLocator(written: string, candidate: string, strongContext: boolean): boolean {
  if (SIX_LETTER_WORDS.has(candidate)) return false;
  const vowelPoor = (candidate.match(VOWELS)?.length ?? 0) <= 1;
  const capitalised = written === candidate;
  if (strongContext) return capitalised || vowelPoor;
  return capitalised && vowelPoor;
}

// ---------------------------------------------------------------------------------------------
// The longest wait

const UNIT_NUMBER_WORDS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const TEEN_NUMBER_WORDS = ['ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS_NUMBER_WORDS = ['twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const NUMBER_WORDS = new Map<string, number>([
  ['a', 1],
  ['an', 1],
  ...UNIT_NUMBER_WORDS.map((word, index) => [word, index + 1] as const),
  ...TEEN_NUMBER_WORDS.map((word, index) => [word, index + 10] as const),
  ...TENS_NUMBER_WORDS.map((word, index) => [word, (index + 2) * 10] as const),
]);
const FRACTIONS: Record<string, number> = { '1/2': 0.5, '½': 0.5, '1/4': 0.25, '¼': 0.25, '3/4': 0.75, '¾': 0.75, '1/3': 1 / 3, '2/3': 2 / 3 };

// "3", "1.5", "3 1/2", "2-1/2", "1/2", "2½".
const FRACTION = String.raw`(?:[123]\/[234]|[½¼¾])`;
const NUMBER = String.raw`(?:\d{1,3}(?:[.,]\d+)?(?:(?:\s*|-)${FRACTION})?|${FRACTION})`;
// "ten", "twenty-five", "forty five"; "a"/"an" only as a whole word.
const NUMBER_WORD = String.raw`(?:an?|(?:${TENS_NUMBER_WORDS.join('|')})(?:[-\s](?:${UNIT_NUMBER_WORDS.join('|')}))?|${[...TEEN_NUMBER_WORDS, ...UNIT_NUMBER_WORDS].join('|')})`;
// "two and a half", "three & 1/2".
const AND_A_HALF = String.raw`(?:\s+(?:and|&)\s+(?:a\s+half|1\/2|½))`;
const HOUR_UNIT = String.raw`(?:hours?|hrs?|h)`;
const MINUTE_UNIT = String.raw`(?:minutes?|mins?)`;
// A unit may run into a hashtag's next word: "#5hourdelay", "#2hrslate".
const UNIT_END = String.raw`(?:\b|(?=delay|late|wait))`;
/**
 * Bare minutes after hours ("1hr 30 delay", "2hr45") are minutes unless a unit or noun says the
 * number counts something else: "2 hours 15 people", "3 hours 10 times".
 */
const NOT_BARE_MINUTES = String.raw`(?:[\d:/%]|[.,]\d|\s*(?:hours?|hrs?|h|am|pm|a\.m|p\.m|days?|weeks?|months?|years?|people|persons|passengers|pax|flights?|planes?|times|of|seconds?|secs?|bags?|seats?|rows?|gates?|dollars?|usd|bucks|pounds|euros?|miles?|km|mph|degrees?|percent)\b)`;
// "3 hours", "2hrs", "3-hour", "ten-hour", "two and a half hours", "4:30 hours", then optionally
// minutes ("2 hours, 45 minutes", "2h45m", "1hr 30") or a half ("an hour and a half");
// "half an hour"; "45 min", "90-minute", "twenty-five minutes"; "45m" only before a delay word,
// since a bare "m" is also metres and millions ("walked 500m", "raised $2M").
const DURATION = new RegExp(
  String.raw`(?:\b|(?=[½¼¾]))(?:` +
    String.raw`(?:(?<hours>${NUMBER}${AND_A_HALF}?)\s*\+?\s*-?\s*${HOUR_UNIT}|(?<hourWords>${NUMBER_WORD}${AND_A_HALF}?)[\s-]+(?:hours?|hrs?)|(?<clockHours>\d{1,2}):(?<clockMinutes>[0-5]\d)\s*${HOUR_UNIT})` +
    String.raw`(?:\s+(?:and\s+)?(?<half>a\s+half)\b|\s*,?\s*(?:and\s+)?(?<extraMinutes>[0-5]?\d)\s*(?:${MINUTE_UNIT}|m)\b|\s?(?<bareMinutes>[0-5]\d)(?!${NOT_BARE_MINUTES})|${UNIT_END})` +
    String.raw`|(?<halfHour>half[\s-](?:an?\s+)?hour)\b` +
    String.raw`|(?:(?<minutes>${NUMBER})\s*\+?\s*-?\s*${MINUTE_UNIT}|(?<minuteWords>${NUMBER_WORD})[\s-]+${MINUTE_UNIT})${UNIT_END}` +
    String.raw`|(?<shortMinutes>\d{1,3})\s?m(?=\s*(?:late|delay|wait))` +
    String.raw`)`,
  'gi',
);
const ORDINAL_WORDS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth', 'eleventh', 'twelfth'];
const HOUR_COUNT_WORDS = [...UNIT_NUMBER_WORDS, 'ten', 'eleven', 'twelve'];
/**
 * The hour of a wait it is now: "hour 5 at CLT", "going on hour 4", "Hour 3: delayed for
 * maintenance", "the 3rd hour", "hour three". Not the minutes of "1 hour 30", nor "hour 2pm".
 */
const HOUR_COUNT = new RegExp(
  String.raw`\bhour(?<!(?:\d|\b(?:an?|half|${HOUR_COUNT_WORDS.join('|')}))[\s-]*hour)\s+(?<count>\d{1,2}|${HOUR_COUNT_WORDS.join('|')})\b(?!\s*(?:hours?|hrs?|minutes?|mins?|[ap]\.?m\b)|[:.]\d)` +
    String.raw`|\b(?:(?<ordinal>\d{1,2})(?:st|nd|rd|th)|(?<ordinalWord>${ORDINAL_WORDS.join('|')}))\s+hour\b`,
  'gi',
);
/** The words after a wait that say it is a delay: "6hrs of mech delay", "2 hours late", "3 hours behind schedule". */
const DELAY_AFTER_WORDS = String.raw`delay\w*|late|behind`;
/** A time said before or after these is not a wait: "in 2 hours", "within 30 minutes". */
const NOT_A_WAIT_BEFORE = /\b(?:in|within)\s+$/i;
/**
 * "a 10 hour flight", "11 hours long", "a 14 hour journey", "an 8 hour nonstop", "2 hours early",
 * "2 hours before departure", "2 hours' notice", "a 5 hour layover", "a 1-hour connection": how long
 * something lasts or how early, not how late. But "two hours flight #4663" names the flight, and "a
 * 7 hour flight delay" and "a 3 hour long wait" are waits.
 */
const NOT_A_WAIT_AFTER =
  /^['’]?[\s-]*(?:(?:flights?|layovers?|connections?|stopovers?)(?!\s*(?:#|no\.?\s|number\s)?\s*[A-Z0-9]{0,2}\d|\s+(?:delay|late|cancel))|long(?![\s-]+(?:delay|late|wait|hold))|drives?|trips?|journeys?|rides?|non-?stop|notice|early|before|ahead|in advance|prior)\b/i;
/**
 * "the flight is 11 hours", "a flight of 9 hours": a flight's length, unless a word after makes it
 * a wait: "the flight was 3 hours late", "the new flight is 3 hrs later", "the next flight is 36 hrs away".
 */
const LENGTH_BEFORE =
  /\b(?:flights?|flight\s+time|flying\s+time|journey|trip)\s+(?:is|was|of|will\s+be|takes|took|lasts|lasted|['’]s)\s+(?:(?:only|about|over|almost|nearly|just|around|roughly|like|a\s+good)\s+)?$/i;
const WAIT_AFTER_LENGTH = new RegExp(String.raw`^\W*(?:\w+\W+){0,2}?(?:${DELAY_AFTER_WORDS}|later|away)\b`, 'i');
/** "posted 2 hours ago" is not a wait; "supposed to leave 15 minutes ago" is one. */
const AGO_AFTER = /^\s*ago\b/i;
const DUE_BEFORE = /\b(?:supposed?\s+to|meant\s+to|should(?:'ve|\s+have)|scheduled\s+to|due\s+to\s+(?:leave|depart|land|arrive|board|take\s+off))\b[^.!?]{0,40}$/i;
/** "since 6am", "since 14:00": a clock time, not "since 2 hours", "since 3 days" or "since 9/11". */
const SINCE_CLOCK =
  /\bsince\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?=\W|$)(?!\s*(?:\/|-?\s*(?:hours?|hrs?|h|minutes?|mins?|m|days?|weeks?|months?|years?|yrs?)\b))/gi;
/** A wait named right before or after these is a phone, chat or check-in queue, not a late flight. */
const QUEUE_WORDS = String.raw`(?:hold|phone|call|calls|calling|chat|line|queue|email|reply|response|dm|refund)`;
const QUEUE_BEFORE = new RegExp(String.raw`\b${QUEUE_WORDS}\b[^.!?]{0,24}$`, 'i');
const QUEUE_AFTER = new RegExp(String.raw`^[^.!?]{0,20}?\b${QUEUE_WORDS}\b`, 'i');
const FLIGHT_WORDS = String.raw`(?:delay\w*|late|flight|plane|tarmac|gate|runway|departure|boarding)`;
const FLIGHT_WAIT_WORD = new RegExp(String.raw`\b${FLIGHT_WORDS}\b`, 'i');
/** "delayed 2 hours and on hold": a flight word at most two words before the wait claims it. */
const FLIGHT_WAIT_WORD_JUST_BEFORE = new RegExp(String.raw`\b${FLIGHT_WORDS}\b\W*(?:\w+\W+){0,2}$`, 'i');
const FIRST_WORD = /^\S+/;
/** A delay word at most two words after the wait claims it. */
const FLIGHT_WAIT_WORD_JUST_AFTER = new RegExp(String.raw`^\W*(?:\w+\W+){0,2}?(?:${DELAY_AFTER_WORDS})\b`, 'i');
const LONGEST_PLAUSIBLE_MINUTES = 72 * 60;
const MINUTES_PER_DAY = 24 * 60;
/** A "since", or a time moved past midnight, further back than this is a different day, not a wait. */
const LONGEST_SINCE_MINUTES = 16 * 60;

function delayMinutes(text: string, createdAt: string | undefined, timeZone: string | undefined): number | null {
  let longest: number | null = rescheduledMinutes(text);
  const consider = (minutes: number, index: number, end: number) => {
    if (!(minutes > 0) || minutes > LONGEST_PLAUSIBLE_MINUTES || !isFlightWait(text, index, end)) return;
    longest = Math.max(longest ?? 0, Math.round(minutes));
  };
  for (const match of text.matchAll(DURATION)) {
    const end = match.index + match[0].length;
    // "leaves in 2 hours" is not a wait; "came in 2hrs late" is one.
    if (NOT_A_WAIT_BEFORE.test(text.slice(Math.max(0, match.index - 8), match.index)) && !FLIGHT_WAIT_WORD_JUST_AFTER.test(text.slice(end, end + 32))) continue;
    if (NOT_A_WAIT_AFTER.test(text.slice(end, end + 24))) continue;
    if (LENGTH_BEFORE.test(text.slice(Math.max(0, match.index - 40), match.index)) && !WAIT_AFTER_LENGTH.test(text.slice(end, end + 32))) continue;
    if (AGO_AFTER.test(text.slice(end, end + 6)) && !DUE_BEFORE.test(text.slice(Math.max(0, match.index - 60), match.index))) continue;
    consider(durationMinutes(match.groups!), match.index, end);
  }
  // An exec loop, not matchAll: most posts name no hour, and matchAll copies the pattern for each.
  HOUR_COUNT.lastIndex = 0;
  for (let match = HOUR_COUNT.exec(text); match !== null; match = HOUR_COUNT.exec(text)) {
    const { count, ordinal, ordinalWord } = match.groups!;
    const hours = ordinalWord !== undefined ? ORDINAL_WORDS.indexOf(ordinalWord.toLowerCase()) + 1 : Number(ordinal ?? NUMBER_WORDS.get(count!.toLowerCase()) ?? count);
    consider(hours * 60, match.index, match.index + match[0].length);
  }
  if (createdAt !== undefined) {
    // The post's clock is read only for a post that says "since": reading a zone's clock is slow.
    let postedAt: number | null | undefined;
    for (const match of text.matchAll(SINCE_CLOCK)) {
      postedAt ??= localMinutesOfDay(createdAt, timeZone);
      if (postedAt === null) break;
      const waited = minutesSince(match, postedAt);
      if (waited !== null) consider(waited, match.index, match.index + match[0].length);
    }
  }
  return longest;
}

/** Whether the wait at text[index, end) is a flight's, not a phone, chat or queue wait. */
function isFlightWait(text: string, index: number, end: number): boolean {
  const before = text.slice(Math.max(0, index - 40), index);
  const after = text.slice(end, end + 32);
  // "6hrs of mech delay": a delay word right after the wait claims it, whatever came before.
  if (FLIGHT_WAIT_WORD_JUST_AFTER.test(after)) return true;
  const queue = QUEUE_BEFORE.exec(before);
  // "on hold 1 hr & delayed 4 hrs": a flight word after the queue word makes it a flight wait again.
  if (queue && !FLIGHT_WAIT_WORD.test(before.slice(queue.index).replace(FIRST_WORD, ''))) return false;
  // "2 hours on hold": the queue named after; "delayed 2 hours and on hold" is still the flight's.
  const queueAfter = QUEUE_AFTER.exec(after);
  return !queueAfter || FLIGHT_WAIT_WORD_JUST_BEFORE.test(before) || FLIGHT_WAIT_WORD.test(queueAfter[0]);
}

function durationMinutes(groups: Record<string, string | undefined>): number {
  const { hours, hourWords, clockHours, clockMinutes, half, extraMinutes, bareMinutes, halfHour, minutes, minuteWords, shortMinutes } = groups;
  const wholeHours = hours ?? hourWords;
  const hoursPart = wholeHours !== undefined ? amount(wholeHours) * 60 : clockHours !== undefined ? Number(clockHours) * 60 + Number(clockMinutes) : undefined;
  if (hoursPart !== undefined) return hoursPart + (half ? 30 : 0) + Number(extraMinutes ?? bareMinutes ?? 0);
  if (halfHour !== undefined) return 30;
  return amount((minutes ?? minuteWords ?? shortMinutes)!);
}

/** "3", "1,5", "3 1/2", "½", "twenty-five", "two and a half". */
function amount(text: string): number {
  const lower = text.toLowerCase();
  const number = lower.replace(AND_A_HALF_SUFFIX, '');
  const halfAdded = number === lower ? 0 : 0.5;
  const words = number.split(NUMBER_WORD_SEPARATOR);
  if (NUMBER_WORDS.has(words[0]!)) return words.reduce((sum, word) => sum + (NUMBER_WORDS.get(word) ?? 0), 0) + halfAdded;
  const fraction = FRACTION_SUFFIX.exec(number);
  const whole = fraction ? number.slice(0, fraction.index).trim() : number;
  return (whole === '' ? 0 : Number(whole.replace(',', '.'))) + (fraction ? FRACTIONS[fraction[0].replace(FRACTION_LEAD, '')]! : 0) + halfAdded;
}
const AND_A_HALF_SUFFIX = /\s+(?:and|&)\s+(?:a\s+half|1\/2|½)$/;
const NUMBER_WORD_SEPARATOR = /[-\s]+/;
const FRACTION_LEAD = /^[\s-]+/;
const FRACTION_SUFFIX = /(?:\s*|-)(?:[123]\/[234]|[½¼¾])$/;

/**
 * Minutes from "since <clock>" to the post's clock. With am/pm or a 24-hour time ("since 23:30")
 * a clock later than the post is last night ("since 11pm" at 01:10 is 130 minutes); a bare hour
 * ("since 6") is the most recent 6 within 12 hours, or nothing.
 */
function minutesSince(match: RegExpExecArray, postedAt: number): number | null {
  const [, hourText, minuteText, meridiem] = match;
  let hour = Number(hourText);
  const minute = Number(minuteText ?? 0);
  if (hour > 23 || minute > 59) return null;
  const half = meridiem?.[0]?.toLowerCase();
  if (half === 'p' && hour < 12) hour += 12;
  if (half === 'a' && hour === 12) hour = 0;
  let waited = postedAt - (hour * 60 + minute);
  if (half !== undefined || hour > 12) {
    if (waited < 0) waited += MINUTES_PER_DAY;
  } else if (waited > 12 * 60) {
    // Without am/pm, "since 6" before a 7 pm post most likely means 6 pm.
    waited -= 12 * 60;
  }
  return waited > 0 && waited <= LONGEST_SINCE_MINUTES ? waited : null;
}

// ---------------------------------------------------------------------------------------------
// A wait stated as two clock times

/**
 * A clock time: "9am", "9 a.m.", "10:00p", "13:15", "9:30", "3.30pm", "noon", "12 midnight". Not a
 * bare hour ("open from 9 to 5"), nor "9.30" without am/pm (a price, a score); what comes before
 * refuses "$9", the "24" of "2/24" and the inside of "1234".
 */
const CLOCK =
  /(?<![\d$£€/:.,#])\b(?:(?:12\s?)?(?<word>noon|midnight)\b|(?<hour>[01]?\d|2[0-3])(?:(?<separator>[:.])(?<minute>[0-5]\d)(?<shortHalf>[ap]\b)?)?(?!\d)(?:\s?(?<half>[ap])(?:m\b|\.m\b\.?))?)/gi;
/**
 * The words right before which an hour alone ("6", not "6pm" or "6:00") is a clock time: "supposed
 * to land at 6", "it's 9", "home by 9", "since 6".
 */
const BARE_HOUR_CUE = String.raw`\b(?:at|by|since|until|till|til|it['’]?s|it\s+is|now)\s+`;
/** The words joining the two ends of a span of time: "from noon to 5", "2pm till 6", "9:30-10". */
const RANGE_JOIN = String.raw`\s{0,3}(?:to|till?|until|-|–)\s{0,3}`;
/**
 * The end of a span that begins at a clock time, before an hour alone: the "to " of "from noon to
 * 5", "from 2pm till 6". After a bare hour ("open from 9 to 5") it is no clock time.
 */
const RANGE_AFTER_CLOCK = String.raw`(?:[ap]\.?m|\d[:.][0-5]\d|noon|midnight)${RANGE_JOIN}`;
/** Whether a text has two things that look like clock times ("9:30", "9am", "noon", "at 9"): the cheap test most posts stop at. */
const CLOCK_LIKE = String.raw`(?:\d(?:[:.][0-5]\d|\s?[ap]\.?m\b|(?<=(?:${BARE_HOUR_CUE}|${RANGE_AFTER_CLOCK})\d{1,2})(?!\d))|noon|midnight)`;
const TWO_CLOCK_LIKE = new RegExp(`${CLOCK_LIKE}[^]*?${CLOCK_LIKE}`, 'i');
/** "4:30 hours" is a duration, read by DURATION. */
const DURATION_AFTER_CLOCK = /^\s*(?:hours?|hrs?|h|minutes?|mins?)\b/i;
/** Nothing between a cue and its time but words: no other number, no end of a clause. */
const CUE_GAP = String.raw`[^.!?,;\d\n]{0,24}`;
const CHANGE_WORDS = String.raw`(?:delay\w*|push\w*|mov\w*|chang\w*|bump\w*|resched\w*|retim\w*|postpon\w*|switch\w*|shift\w*|went|gone)`;
/**
 * The words before the time a flight was meant to go: "supposed to leave at", "due to land at",
 * "should have departed at", "scheduled departure", "originally", "flight at", "flight was 7:30",
 * "dep 14:05", "departure: 7:05", a "was" that opens a clause ("delayed to 10:45pm. was 7:30"),
 * or a time that names the flight ("my 10:10 has been delayed", "the 18:40 from LHR"). Not "new
 * departure 11:40", which is the time it goes now. "from" needs a word of change before it
 * ("delayed from", "pushed back from", "delay 1 flight from", "delayed until 11pm from"): "open
 * from 9am", "on hold from 2pm" and "a flight from 9am to 5pm" are no move.
 */
const PLANNED_BEFORE = new RegExp(
  String.raw`(?:\b(?:supposed|scheduled|due|meant|set|planned|slated|expected)\s+to\s+(?:leave|depart|take\s*off|board|land|arrive|fly|get\s+in|be)\b${CUE_GAP}` +
    String.raw`|\bshould(?:['’]?ve|\s+have)\s+(?:left|departed|taken\s*off|boarded|landed|arrived|flown|been|gotten|got)\b${CUE_GAP}` +
    String.raw`|\b(?:scheduled|sched|planned|original(?:ly)?)\b${CUE_GAP}` +
    String.raw`|\bdue\s+(?:at|by|for|@)\s*` +
    String.raw`|\bfl(?:igh)?t\s+(?:(?:(?:was|is)\s+)?(?:at|for|@)\s*|was\s+)` +
    String.raw`|(?<!\bnew\s+)\b(?:dep|dept|departure)\b\.?\s*(?::\s*|time\s+|was\s+|time\s+was\s+)?(?:at\s+)?` +
    String.raw`|(?:^|[.!?;,]\s*)was\s+(?:at\s+)?` +
    String.raw`|\b${CHANGE_WORDS}\b[^.!?,;\n]{0,30}\bfrom\s*` +
    String.raw`|\b(?:my|our|your|his|her|their|the)\s+)$`,
  'i',
);
/** "our 6am flight", "11pm arrival": a time that names a flight is the time it was meant to go. */
const FLIGHT_AFTER_CLOCK = /^\s?(?:flight|flt|departure|arrival|plane|connection)\b/i;
/**
 * The words before a time that stands for the flight itself, "my 7:15am just became a 12:30pm",
 * "the 4:05 to PHX is now the 8:40", and after it: a verb, a place the flight goes to or comes
 * from, or the end of a clause. Not a noun: "my 9am meeting", "the 3pm shuttle".
 */
const CLOCK_AS_FLIGHT_BEFORE = /\b(?:my|our|your|his|her|their|the)\s+$/i;
const CLOCK_AS_FLIGHT_AFTER =
  /^(?:\s*(?:[.,!?;:)]|$)|\s+(?:just|has|had|have|is|was|got|gets|now|became|becomes|turned|turns|been|already|still|then|keeps|kept|delayed|moved|pushed|changed|cancel\w*|(?:to|from|out\s+of)\s+(?![\d$£€]))\b)/i;
/**
 * The words before the time it goes now: "now leaving at", "new departure", "to", "pushed back to",
 * "delayed until", "not until", "won't leave until", "rescheduled for", "ETA", "became", or the time
 * it went: "left at".
 */
const MOVED_BEFORE = new RegExp(
  String.raw`(?:\bnow\b${CUE_GAP}` +
    String.raw`|\b(?:became|becomes|turned\s+into|turns\s+into)\s+(?:the\s+|a\s+|an\s+)?` +
    String.raw`|\b(?:left|departed|took\s+off)\b${CUE_GAP}` +
    String.raw`|\bnew\s+(?:departure|arrival|boarding|time|eta|etd|flight)\b${CUE_GAP}` +
    String.raw`|\b(?:eta|etd)\b${CUE_GAP}` +
    String.raw`|\bto\s*` +
    String.raw`|(?:\bnot|n['’]t|\b(?:wont|dont|cant|isnt|arent|wasnt|didnt|doesnt)|\b${CHANGE_WORDS})\b[^.!?,;\d\n]{0,24}\b(?:un)?till?\s*` +
    String.raw`|\b${CHANGE_WORDS}\b[^.!?,;\d\n]{0,16}\bfor\s*)$`,
  'i',
);
/**
 * The time it is as the post is written ("it's now 7:30pm", "now 9:40", "it's 9:40"), or the time
 * the flight went ("landed at 10:30pm", "took off at 2pm"): read against the time it was meant to
 * go or a wait began anywhere near, in the same sentence or not.
 */
const ACTUAL_TIME_BEFORE =
  /(?:\b(?:it['’]?s|it\s+is)\s+(?:now\s+)?|\bnow\s+(?:it['’]?s\s+|it\s+is\s+)?|\b(?:landed|touched\s+down|took\s+off|wheels\s+up|pushed\s+back|finally\s+(?:left|departed|boarded))\s+(?:at\s+|around\s+)?)$/i;
/**
 * The time it is, said before "now": "23:10 now. still sat here", "board says 11:20 now, was
 * 10:10". Not after a word that makes it a flight ("we're on the 6:40 now", "my 4:45 now says 7:10").
 */
const NOW_AFTER_CLOCK = /^\s*now\b/i;
const NOT_NOW_BEFORE = /\b(?:the|a|an|my|our|your|his|her|their|on)\s+$/i;
/**
 * The end of a wait said with "till": "sat on the plane until 9:45", "board at 6pm, sit till 9pm",
 * "stuck at the gate till 2am": read as the time the wait ended, like "took off at".
 */
const WAIT_UNTIL_BEFORE = /\b(?:sat|sit|sitting|stuck|waited|waiting|wait|held|kept)\b[^.!?,;\d\n]{0,30}\b(?:un)?till?\s*$/i;
/** How far apart, in characters, the two times of such a reading may be. */
const ACTUAL_TIME_REACH = 160;
/**
 * "since 2pm", "boarded at 5", "board at 6pm", "gate opened at 19:30": the time a wait began,
 * counted up to the time the post says it is now or the flight went.
 */
const SINCE_BEFORE = /\b(?:since|boarded\s+(?:at\s+)?|board\s+at\s+|gates?\s+open(?:ed|s)?\s+(?:at\s+)?)\s*$/i;
/**
 * A wait at the airport or on board told as a span: "sat at the gate in SJU from noon to 5", "stuck
 * on the plane from 9:10pm till 1am". A wait word and a place must both say so: "open from 9am to
 * 5pm", "a flight from 9am to 5pm" and "on hold from 2pm to 5pm" are no wait. Sitting on the plane
 * is also how a flight is told ("sat on the plane from 9am to 5pm"): only being stuck there is a wait.
 */
const WAITED_FROM_BEFORE =
  /(?:\b(?:sat|sit|sitting)\b[^.!?,;\n]{0,20}\b(?:gates?|tarmac|runway|terminal|airport)|\b(?:stuck|waited|waiting|held|kept|trapped|stranded)\b[^.!?,;\n]{0,20}\b(?:gates?|tarmac|runway|terminal|airport|plane|aircraft|board))\b[^.!?,;\n]{0,20}\bfrom\s*$/i;
const RANGE_BETWEEN = new RegExp(`^${RANGE_JOIN}$`, 'i');
/** An hour alone is a clock time right after BARE_HOUR_CUE, and not before a unit or a noun it counts ("at 5 gates", "by 2 hours"). */
const BARE_HOUR_BEFORE = new RegExp(`${BARE_HOUR_CUE}$`, 'i');
const BARE_HOUR_NOT_AFTER =
  /^(?:\s*(?:hours?|hrs?|h|minutes?|mins?|days?|weeks?|months?|years?|yo|people|persons|passengers|pax|kids|children|adults|flights?|planes?|gates?|times|of|bags?|seats?|rows?|dollars?|bucks|euros?|pounds|usd|percent|degrees?|points|stars|more|other|different|or\s+\d)\b|\s*[%x$/°-]|[.,]\d|\d)/i;
/** "landed at 2am instead of 9pm": the time it went, then the time it was meant to. */
const INSTEAD_OF_BETWEEN = /^\s*,?\s*(?:instead\s+of|rather\s+than|not)\s+(?:(?:the|our|my|its|their)\s+)?(?:(?:scheduled|original|planned|usual)\s+)?$/i;
/** "delayed from 8am to 11:30am, then 1pm, then 3pm": a time moved again. */
const MOVED_AGAIN_BETWEEN = /^\s*,?\s*(?:and\s+)?then\s+(?:to\s+|at\s+)?$/i;
/**
 * A time named right after these, with no flight word between, is a queue's, another service's or
 * another plan's: "on hold from 2pm", "hotel check in moved from 3pm to 6pm", "the shuttle was
 * supposed to leave at 5:30am", "supposed to be at work at 6am". "the shuttle to our 6am flight"
 * and "gate opened at 19:30" are still the flight's.
 */
const NOT_A_FLIGHT_TIME_BEFORE =
  /\b(?:hold|line|queue|check[\s-]?(?:in|out)|checkin|checkout|(?<!\bgates?\s+)open\w*|clos\w*|hotel|shuttle|bus|train|pick[\s-]?up|deliver\w*|reservation|work|school|class|office|meeting|appointment|interview|wedding)\b([^.!?\d\n]{0,30})$/i;
/** The sentence must be about a flight: the flight words, or a flight's verbs ("leave", "land", "be home by 9"). */
const FLIGHT_SENTENCE_WORD = new RegExp(
  String.raw`\b(?:${FLIGHT_WORDS}|flights|flt|leav(?:e|es|ing)|left|depart(?:s|ed|ing)?|take\s*off|taking\s+off|took\s+off|takeoff|land(?:s|ed|ing)?|arriv(?:e|es|ed|ing|al)|board(?:s|ed)?|fly|flying|eta|etd|(?:be|get|got|getting|gotten)\s+home)\b`,
  'i',
);
const SENTENCE_END = /[.!?\n]/;
/** The ends of sentences, each with what follows it up to the next sentence: "...", "?!", ". \n". */
const SENTENCE_ENDS = /[.!?\n][\s.!?]*/g;
/**
 * How far apart, in characters, a time meant and the time it was moved to may be when a sentence
 * ends between them: "delayed till 1am. i had a 7pm departure", "my flight was at 6:10pm. it's
 * now scheduled for 11:45pm". Within one sentence they may be any distance apart.
 */
const NEXT_SENTENCE_REACH = 100;
/** Enough of a sentence to find its flight word: a post is short, and a cue sits near its time. */
const SENTENCE_REACH = 100;
/** More times than this in one post is a timetable, not a complaint. */
const MOST_CLOCK_TIMES = 8;

interface ClockTime {
  index: number;
  end: number;
  /** Minutes after midnight; for a 12-hour time without am/pm ("9:30"), the morning reading. */
  minutes: number;
  /** Whether "9:30" may also be 21:30. */
  halfUnknown: boolean;
}

/**
 * The longest wait a post states as a flight's time moved to a later one, said in either order in
 * one sentence or the next: "supposed to leave at 9am, now leaving at 1pm" (240), "delayed from
 * 9:30 to 13:15" (225), "delayed until 11pm from 3pm" (480), "was due to land at 10:15pm, now
 * 1:30am" (195, across midnight), "delayed till 1am. i had a 7pm departure" (360); as the time it
 * is now against the time the flight was meant to go or the wait began: "it's 9:40, we were
 * supposed to leave at 8:15" (85), "at the gate since 2pm, it's now 7:30pm" (330), "23:10 now.
 * gate opened at 19:30" (220); or as a wait told as a span: "sat at the gate from noon to 5" (300).
 * Cheap for the posts without two clock times, which is nearly all of them: the cue patterns run
 * only past that test.
 */
function rescheduledMinutes(text: string): number | null {
  const times = clockTimes(text);
  if (times.length < 2) return null;
  const before = times.map((time) => text.slice(Math.max(0, time.index - 48), time.index));
  const after = times.map((time) => text.slice(time.end, time.end + 16));
  const otherService = before.map((words) => {
    const otherTime = NOT_A_FLIGHT_TIME_BEFORE.exec(words);
    return otherTime !== null && !FLIGHT_WAIT_WORD.test(otherTime[1]!);
  });
  // A wait's start ("now been at ORD since 11am") is no time moved to.
  const moved = times.map(
    (time, index) => !otherService[index] && !SINCE_BEFORE.test(before[index]!) && MOVED_BEFORE.test(text.slice(Math.max(0, time.index - 40), time.index)),
  );
  for (let index = 1; index < times.length; index++) {
    moved[index] ||= moved[index - 1]! && MOVED_AGAIN_BETWEEN.test(text.slice(times[index - 1]!.end, times[index]!.index));
  }
  // Which sentence each time is in: "..." or ". \n" ends one sentence, not three.
  const sentence = [0];
  for (let index = 1; index < times.length; index++) {
    sentence.push(sentence[index - 1]! + (text.slice(times[index - 1]!.end, times[index]!.index).match(SENTENCE_ENDS)?.length ?? 0));
  }
  const actual = times.map(
    (time, index) =>
      ACTUAL_TIME_BEFORE.test(text.slice(Math.max(0, time.index - 24), time.index)) ||
      (NOW_AFTER_CLOCK.test(after[index]!) && !NOT_NOW_BEFORE.test(before[index]!)) ||
      (!otherService[index] && WAIT_UNTIL_BEFORE.test(before[index]!)),
  );
  let longest: number | null = null;
  // A wait counts when it is the longest yet and its sentence talks about a flight ("since" asks
  // only that it is no queue's, as a "since" counted against the post's clock does).
  const keep = (waited: number | null, start: number, end: number, flightWordNeeded = true) => {
    if (waited === null || (longest !== null && waited <= longest)) return;
    if (flightWordNeeded ? FLIGHT_SENTENCE_WORD.test(sentenceAround(text, start, end)) : isFlightWait(text, start, end)) longest = waited;
  };
  for (let first = 0; first < times.length; first++) {
    const planned = times[first]!;
    const next = times[first + 1];
    if (next && !otherService[first]) {
      const between = text.slice(planned.end, next.index);
      // "landed at 2am instead of 9pm", "leaving at 1pm rather than 9am": the time it went, then the time it was meant to.
      if (INSTEAD_OF_BETWEEN.test(between)) keep(clockGap(next, planned), planned.index, next.end);
      if (RANGE_BETWEEN.test(between) && WAITED_FROM_BEFORE.test(before[first]!)) keep(clockGap(planned, next), planned.index, next.end);
    }
    const namesFlight = FLIGHT_AFTER_CLOCK.test(after[first]!);
    const plannedCue = namesFlight || (!otherService[first] && PLANNED_BEFORE.test(before[first]!));
    const since = !otherService[first] && SINCE_BEFORE.test(before[first]!);
    if (!plannedCue && !since) continue;
    // The time it is now or the time the flight went, said before or after, near enough.
    for (let other = 0; other < times.length; other++) {
      const then = times[other]!;
      if (other === first || !actual[other] || Math.abs(then.index - planned.index) > ACTUAL_TIME_REACH) continue;
      keep(clockGap(planned, then), Math.min(planned.index, then.index), Math.max(planned.end, then.end), plannedCue);
    }
    if (!plannedCue) continue;
    // "my 7:15am just became a 12:30pm": the time is the flight, and needs no flight word beside it.
    const standsForFlight = CLOCK_AS_FLIGHT_BEFORE.test(before[first]!) && CLOCK_AS_FLIGHT_AFTER.test(after[first]!);
    // The time it goes now, before or after, in the same sentence or, near enough, the next.
    for (let second = 0; second < times.length; second++) {
      if (second === first || !moved[second]) continue;
      const [earlier, later] = second > first ? [planned, times[second]!] : [times[second]!, planned];
      const sentenceEnds = Math.abs(sentence[second]! - sentence[first]!);
      if (sentenceEnds > 1 || (sentenceEnds === 1 && later.index - earlier.end > NEXT_SENTENCE_REACH)) continue;
      keep(clockGap(planned, times[second]!), earlier.index, later.end, !standsForFlight);
    }
  }
  return longest;
}

function clockTimes(text: string): ClockTime[] {
  const times: ClockTime[] = [];
  if (!TWO_CLOCK_LIKE.test(text)) return times;
  for (const match of text.matchAll(CLOCK)) {
    const { word, hour: hourText, separator, minute: minuteText, shortHalf, half: longHalf } = match.groups!;
    const end = match.index + match[0].length;
    if (word !== undefined) {
      times.push({ index: match.index, end, minutes: word.toLowerCase() === 'noon' ? 12 * 60 : 0, halfUnknown: false });
    } else {
      const half = (longHalf ?? shortHalf)?.toLowerCase();
      let hour = Number(hourText);
      // "9.30" alone is a price, "13pm" no time; "9" alone is a count, unless a word before names a
      // time or it ends a span that began at a clock time ("from noon to 5").
      if (half === undefined && separator === '.') continue;
      if (half === undefined && minuteText === undefined) {
        const previous = times.at(-1);
        const endsSpan = previous !== undefined && match.index - previous.end <= 9 && RANGE_BETWEEN.test(text.slice(previous.end, match.index));
        const timeWordBefore = endsSpan || BARE_HOUR_BEFORE.test(text.slice(Math.max(0, match.index - 8), match.index));
        if (!(hour >= 1 && hour <= 12 && timeWordBefore && !BARE_HOUR_NOT_AFTER.test(text.slice(end, end + 12)))) continue;
      }
      if (half !== undefined && (hour === 0 || hour > 12)) continue;
      if (half === undefined && DURATION_AFTER_CLOCK.test(text.slice(end, end + 8))) continue;
      // "09:30", "13:15" and "0:40" are on a 24-hour clock; "9:30" could be morning or evening.
      const halfUnknown = half === undefined && hour >= 1 && hour <= 12 && hourText!.length === (hour >= 10 ? 2 : 1);
      if (half !== undefined || halfUnknown) hour = (hour % 12) + (half === 'p' ? 12 : 0);
      times.push({ index: match.index, end, minutes: hour * 60 + Number(minuteText ?? 0), halfUnknown });
    }
    if (times.length === MOST_CLOCK_TIMES) break;
  }
  return times;
}

/**
 * Minutes from the planned time to the later one; without am/pm, the reading that gives the
 * shortest wait ("9:30 to 1:05" is 215 minutes, not 935). A later time earlier on the clock is
 * after midnight, as long as that stays within a "since"'s reach: "from 9am to 8am" is no wait.
 */
function clockGap(planned: ClockTime, moved: ClockTime): number | null {
  let shortest: number | null = null;
  for (const plannedShift of planned.halfUnknown ? [0, 12 * 60] : [0]) {
    for (const movedShift of moved.halfUnknown ? [0, 12 * 60] : [0]) {
      const sameDay = moved.minutes + movedShift - (planned.minutes + plannedShift);
      const gap = sameDay >= 0 ? sameDay : sameDay + MINUTES_PER_DAY <= LONGEST_SINCE_MINUTES ? sameDay + MINUTES_PER_DAY : null;
      if (gap !== null && (shortest === null || gap < shortest)) shortest = gap;
    }
  }
  return shortest === 0 ? null : shortest;
}

/** The sentence around text[start, end), at most SENTENCE_REACH characters either side. */
function sentenceAround(text: string, start: number, end: number): string {
  let from = start;
  while (from > 0 && start - from < SENTENCE_REACH && !SENTENCE_END.test(text[from - 1]!)) from--;
  let to = end;
  while (to < text.length && to - end < SENTENCE_REACH && !SENTENCE_END.test(text[to]!)) to++;
  return text.slice(from, to);
}

// ---------------------------------------------------------------------------------------------
// The post's clock

const TIMESTAMP = /T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const UTC_OFFSET = /^(?:Z|[+-]00:?00)$/i;
const MS_PER_MINUTE = 60_000;

/** Minutes after local midnight at which the post was made, or null when its local clock cannot be known. */
function localMinutesOfDay(createdAt: string, timeZone: string | undefined): number | null {
  const stamp = TIMESTAMP.exec(createdAt);
  if (!stamp) return null;
  const [, hour, minute, offset] = stamp;
  if (offset === undefined || !UTC_OFFSET.test(offset)) return Number(hour) * 60 + Number(minute);
  const instant = Date.parse(createdAt);
  if (!timeZone || !isTimeZone(timeZone) || Number.isNaN(instant)) return null;
  const local = wallClockTime(timeZone, instant);
  return ((Math.floor(local / MS_PER_MINUTE) % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY;
}
