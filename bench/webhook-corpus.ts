import type { PostInput } from '../bin/send/read-posts.ts';
import { mulberry32 } from '../training/seeded-random.ts';

/**
 * A fixed corpus of posts a travel brand receives, written here from templates so that every
 * bench run sends the same texts: complaints of every queue's kind (delays, cancellations,
 * baggage, catering, safety, hotels, refunds), some in languages the classifier does not cover,
 * and the praise, questions and chatter that must not become tickets.
 */

interface Template {
  text: string;
  language?: string;
}

const COMPLAINTS: Template[] = [
  { text: 'Flight {flight} from {city} delayed {hours} hours and still no update at gate {gate}. This is ridiculous.' },
  { text: '{flight} cancelled an hour before boarding, no rebooking offered, we are stranded in {city} with two kids' },
  { text: 'Been on the tarmac for {minutes} minutes at {airport}. No water, no announcements, nothing.' },
  { text: 'My bag never arrived in {city}. File reference {ref}, and nobody answers the phone.' },
  { text: 'Suitcase came off the belt at {airport} with a broken handle and a torn side. Who do I talk to about this?' },
  { text: 'The vegetarian meal I ordered for {flight} was not loaded. Again. Third time this year.' },
  { text: 'Cold, stale sandwich on a {hours} hour flight and you charged 14 euros for it. Disappointing.' },
  { text: 'Missed my connection in {city} because {flight} was late, now rebooked on tomorrow\'s flight with no hotel' },
  { text: 'Crew on {flight} was rude to an elderly lady who asked for help with her bag. Unacceptable.' },
  { text: 'Waited {minutes} minutes on hold about my refund for {flight}. Still nothing after six weeks.' },
  { text: 'Room at the {hotel} had no hot water and the air conditioning is broken. Front desk just shrugged.' },
  { text: 'Checked in at the {hotel} at 11pm and the room wasn\'t ready, nobody could tell us when it would be' },
  { text: 'Overbooked and downgraded from business on {flight} without a word about compensation. Never again.' },
  { text: 'My son is seated away from us on {flight}, he is 7. The gate agent says nothing can be done.' },
  { text: 'Smoke in the cabin on {flight} after takeoff and we went back to {city}. Nobody has told us what happens next.' },
  { text: 'Had an allergic reaction to the snack served on {flight} and the crew had no epipen on board' },
  { text: 'My mother\'s wheelchair was damaged on arrival in {city}, she can\'t get around the airport now.' },
  { text: 'Day {days} without my luggage. Reference {ref}. Where is it???' },
  { text: 'Your app keeps failing at check-in for {flight} and the queue at the desk is {minutes} minutes long' },
  { text: 'Booked the {hotel} through you and got charged twice. Please refund the duplicate payment, booking {ref}.' },
  { text: '{flight} pushed back again, now {hours}h late. Going to miss my sister\'s wedding in {city}. Thanks for nothing' },
  { text: 'Pilot says a technical issue, ground staff say crew shortage. {flight} is still sitting at {airport}.' },
  { text: 'Paid for extra legroom on {flight}, got a broken seat that doesn\'t recline and no refund. Awful.' },
  { text: 'The breakfast at the {hotel} ran out at 8am and staff said come back tomorrow. Horrible service.' },
];

const OTHER_LANGUAGES: Template[] = [
  { text: 'Mon vol {flight} a été annulé et personne ne répond au téléphone. Inadmissible !', language: 'fr' },
  { text: 'Mi maleta no llegó a {city}, llevo {days} días esperando. Referencia {ref}.', language: 'es' },
  { text: 'Flug {flight} hat {hours} Stunden Verspätung und niemand informiert uns. Unmöglich.', language: 'de' },
  { text: 'Voo {flight} atrasado há {hours} horas em {airport}, sem informação nenhuma.', language: 'pt' },
  { text: 'Il mio bagaglio è arrivato rotto a {city}. Chi mi rimborsa?', language: 'it' },
];

const NOT_ISSUES: Template[] = [
  { text: 'Thank you to the crew of {flight} for the birthday surprise, you made my day!' },
  { text: 'Smooth flight to {city}, landed 20 minutes early. Great job' },
  { text: 'Does {flight} tomorrow have wifi on board?' },
  { text: 'Loved the lounge at {airport}, the coffee was excellent' },
  { text: 'Heading to {city} for the marathon next week ✈️' },
  { text: 'Can I change the name on booking {ref}? It\'s for my husband.' },
  { text: 'Shout out to the gate team at {airport}, super helpful with our stroller' },
  { text: 'Kudos for the new menu on short flights, the wraps are delicious' },
  { text: 'Anyone else on {flight} tonight? Window seat gang' },
  { text: 'Best view of the Alps today on the way to {city} 🏔️' },
  { text: 'What time does online check-in open for {flight}?' },
  { text: 'Stayed at the {hotel} last weekend, wonderful staff and a great breakfast. Thanks!' },
];

const CITIES = ['Lisbon', 'Porto', 'Madrid', 'Paris', 'Frankfurt', 'München', 'Zürich', 'Vienna', 'Dublin', 'London', 'Rome', 'Athens', 'Oslo', 'Reykjavík', 'Boston', 'Toronto'];
const AIRPORTS = ['LIS', 'OPO', 'MAD', 'CDG', 'FRA', 'MUC', 'ZRH', 'VIE', 'DUB', 'LHR', 'FCO', 'ATH', 'OSL', 'KEF', 'BOS', 'YYZ'];
const HOTELS = ['Harbour View', 'Grand Central', 'Riverside Inn', 'Airport Plaza', 'Old Town Suites', 'Parkside Hotel'];
const FIRST_NAMES = ['Ana', 'Jonas', 'Priya', 'Marta', 'Tomás', 'Amélie', 'Kofi', 'Sofia', 'Liam', 'Yuki', 'Noah', 'Fatima', 'Lukas', 'Chloé', 'Mateo', 'Ingrid', 'Omar', 'Grace', 'Ravi', 'Elena'];
const LAST_NAMES = ['Ribeiro', 'Becker', 'Nair', 'Durand', 'García', 'Mensah', 'Rossi', 'Walsh', 'Tanaka', 'Haddad', 'Novak', 'Berg', 'Silva', 'Okafor', 'Müller'];

/** Shares of the corpus: mostly complaints in English, some in other languages, the rest no issue. */
const MIX: Array<[weight: number, templates: Template[]]> = [
  [0.55, COMPLAINTS],
  [0.12, OTHER_LANGUAGES],
  [0.33, NOT_ISSUES],
];

/** `count` posts, the same ones for the same `seed`; ids start with `idPrefix`. */
export function benchCorpus(count: number, idPrefix: string, seed = 20_261_122): PostInput[] {
  const random = mulberry32(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const authors = Array.from({ length: 400 }, (_, index) => {
    const first = pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    const handle = `${first}_${last}`.normalize('NFD').replace(/[^A-Za-z_]/g, '').toLowerCase().slice(0, 11) + String(index).padStart(3, '0');
    return { id: `customer-${index}`, handle: `@${handle}`, name: `${first} ${last}` };
  });

  return Array.from({ length: count }, (_, index) => {
    let roll = random();
    const templates = MIX.find(([weight]) => (roll -= weight) < 0)?.[1] ?? NOT_ISSUES;
    const template = pick(templates);
    const text = template.text.replace(/\{(\w+)\}/g, (_, slot: string) => fill(slot, random, pick));
    const post: PostInput = { id: `${idPrefix}-${index + 1}`, text, author: pick(authors) };
    if (template.language !== undefined) post.language = template.language;
    return post;
  });
}

function fill(slot: string, random: () => number, pick: <T>(values: readonly T[]) => T): string {
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  switch (slot) {
    case 'flight':
      return `${pick(['RA', 'RA', 'RX'])} ${between(100, 2999)}`;
    case 'city':
      return pick(CITIES);
    case 'airport':
      return pick(AIRPORTS);
    case 'hotel':
      return pick(HOTELS);
    case 'gate':
      return `${pick(['A', 'B', 'C', 'D'])}${between(1, 48)}`;
    case 'hours':
      return String(between(2, 9));
    case 'minutes':
      return String(between(40, 190));
    case 'days':
      return String(between(2, 12));
    case 'ref':
      return Array.from({ length: 6 }, () => pick([...'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'])).join('');
    default:
      throw new Error(`no filler for {${slot}}`);
  }
}
