import type { Classification } from '#contracts/classification';
import type { QueueConfig } from '#contracts/config';
import type { Classifier } from '#domain/ports';
import { chooseQueue } from '#domain/routing/choose-queue';
import { mulberry32 } from '../../training/seeded-random.ts';

/**
 * A seeded corpus of posts for the fault-injection test (G8): clear complaints for every default
 * queue, posts in languages the classifier does not cover (triage), and posts that are no issue,
 * written by authors who post once, follow up in the same queue, or complain in several queues.
 * Every text is checked with the classifier the webhook uses before the run, so each post
 * carries the queue it must land in (or null) and the threads are known in advance.
 */

export interface CorpusPost {
  id: string;
  author: { id: string; handle: string };
  text: string;
  /** The same for every delivery of the post. */
  createdAt: string;
  /** What the webhook's classifier makes of the text, and the queue it routes it to. */
  expected: { queue: string | null; category: Classification['category']; priority: Classification['priority'] };
}

export interface Corpus {
  seed: number;
  posts: CorpusPost[];
  /** The issue threads: `threadKey(author, queue)` to the ids of the posts that must share one ticket. */
  threads: Map<string, string[]>;
}

/** One request a platform sends: `deliveryId` is its webhook-id, shared by the platform's retries of it. */
export interface DeliveryCopy {
  postId: string;
  deliveryId: string;
}

export const threadKey = (authorId: string, queue: string) => `${authorId} in ${queue}`;

type Intent = 'safety' | 'delays' | 'catering' | 'baggage' | 'triage' | 'general' | 'none';

const TEMPLATES: Record<Intent, string[]> = {
  safety: [
    'Had an allergic reaction to the snack served on {flight} and the crew had no epipen on board',
    'Got food poisoning from the meal on {flight}, I have been sick since we landed in {city}',
    'My {age} year old is travelling alone and was left stranded at {airport} after {flight} was cancelled',
  ],
  delays: [
    'Flight {flight} from {city} delayed {hours} hours and still no update at gate {gate}. This is ridiculous.',
    '{flight} cancelled an hour before boarding, no rebooking offered, we are stuck in {city}',
    'Been sitting at gate {gate} for {minutes} minutes, {flight} delayed again with no explanation',
    '{flight} pushed back again, now {hours}h late. Going to miss my meeting in {city}. Thanks for nothing',
    'Why was {flight} to {city} cancelled? Nobody at the desk can tell us anything',
    'Still waiting, {flight} is now {hours} hours late and the crew has not shown up',
  ],
  catering: [
    'The vegetarian meal I ordered for {flight} was not loaded. Again.',
    'Cold, stale sandwich on {flight} and you charged 14 euros for it. Disappointing.',
    'No food at all on a {hours} hour flight, the trolley ran out of meals after row 10',
    'The chicken meal on {flight} was inedible, dry and cold',
  ],
  baggage: [
    'My bag never arrived in {city}. File reference {ref}, and nobody answers the phone.',
    'Suitcase came off the belt at {airport} with a broken handle and a torn side.',
    'Day {days} without my luggage. Reference {ref}. Where is it???',
    'Lost baggage on {flight}, the claim {ref} has had no update for {days} days',
  ],
  triage: [
    'Mon vol {flight} a été annulé et personne ne répond au téléphone. Inadmissible !',
    'Mi maleta no llegó a {city}, llevo {days} días esperando. Referencia {ref}.',
    'Flug {flight} hat {hours} Stunden Verspätung und niemand informiert uns. Unmöglich.',
    'Voo {flight} atrasado há {hours} horas em {airport}, sem informação nenhuma.',
  ],
  general: [
    'Crew on {flight} was rude to an elderly lady who asked for help. Unacceptable.',
    'Paid for extra legroom on {flight}, got a broken seat that does not recline and no refund. Awful.',
    'Waited {minutes} minutes on hold about my refund for {flight}. Still nothing after six weeks.',
    'Your app keeps failing at check-in for {flight} and the queue at the desk is {minutes} minutes long',
  ],
  none: [
    'Thank you to the crew of {flight} for the birthday surprise, you made my day!',
    'Smooth flight to {city}, landed 20 minutes early. Great job',
    'Does {flight} tomorrow have wifi on board?',
    'Loved the lounge at {airport}, the coffee was excellent',
    'What time does online check-in open for {flight}?',
    'Shout out to the gate team at {airport}, super helpful with our stroller',
  ],
};

/** How often each queue is complained to: delays and baggage most, safety least. */
const ISSUE_WEIGHTS: Array<[Exclude<Intent, 'none'>, number]> = [
  ['delays', 0.3],
  ['baggage', 0.2],
  ['general', 0.18],
  ['catering', 0.12],
  ['triage', 0.12],
  ['safety', 0.08],
];

const CITIES = ['Lisbon', 'Porto', 'Madrid', 'Paris', 'Frankfurt', 'Vienna', 'Dublin', 'London', 'Rome', 'Athens', 'Oslo', 'Boston', 'Toronto'];
const AIRPORTS = ['LIS', 'OPO', 'MAD', 'CDG', 'FRA', 'VIE', 'DUB', 'LHR', 'FCO', 'ATH', 'OSL', 'BOS', 'YYZ'];

/** Draws a text for `intent` until the classifier routes it there; a template that never does is a broken corpus. */
const ATTEMPTS_PER_POST = 20;

export async function chaosCorpus(options: {
  seed: number;
  count: number;
  classifier: Classifier;
  queues: readonly QueueConfig[];
  createdAt: string;
}): Promise<Corpus> {
  const random = mulberry32(options.seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const issueQueue = (): Exclude<Intent, 'none'> => {
    let roll = random();
    return ISSUE_WEIGHTS.find(([, weight]) => (roll -= weight) < 0)?.[0] ?? 'delays';
  };

  // Who writes what: one intent per post, grouped by author.
  const plan: Array<{ author: number; intent: Intent }> = [];
  for (let author = 0; plan.length < options.count; author++) {
    const shape = random();
    const write = (intent: Intent, times: number) => {
      for (let index = 0; index < times; index++) plan.push({ author, intent });
    };
    if (shape < 0.35) {
      write(issueQueue(), 1);
    } else if (shape < 0.6) {
      write(issueQueue(), between(2, 5)); // follow-ups that must join one ticket
    } else if (shape < 0.75) {
      const queues = new Set<Exclude<Intent, 'none'>>();
      const wanted = between(2, 3);
      while (queues.size < wanted) queues.add(issueQueue());
      for (const queue of queues) write(queue, between(1, 3)); // one ticket per queue
    } else if (shape < 0.9) {
      write('none', between(1, 2));
    } else {
      write(issueQueue(), between(1, 3));
      write('none', between(1, 2)); // chatter from a complaining author creates nothing
    }
  }
  plan.length = options.count;

  // The order they arrive in: most authors' posts close together (so follow-ups race each
  // other for the author's ticket), some spread over the whole run.
  const starts = new Map<number, { at: number; spread: number }>();
  const keyed = plan.map((entry, index) => {
    let start = starts.get(entry.author);
    if (!start) {
      start = { at: random(), spread: random() < 0.6 ? 0.003 : 0.3 };
      starts.set(entry.author, start);
    }
    return { ...entry, index, key: start.at + random() * start.spread };
  });
  keyed.sort((a, b) => a.key - b.key || a.index - b.index);

  const posts: CorpusPost[] = [];
  const threads = new Map<string, string[]>();
  for (const [position, { author, intent }] of keyed.entries()) {
    const id = `chaos-${options.seed}-${String(position + 1).padStart(4, '0')}`;
    const writer = { id: `customer-${String(author).padStart(4, '0')}`, handle: `@traveller${author}` };
    const wanted = intent === 'none' ? null : intent;
    let chosen: { text: string; classification: Classification; queue: string | null } | undefined;
    for (let attempt = 0; attempt < ATTEMPTS_PER_POST && !chosen; attempt++) {
      const text = pick(TEMPLATES[intent]).replace(/\{(\w+)\}/g, (_, slot: string) => fill(slot, random, pick, between));
      const [classification] = await options.classifier.classify([{ text, createdAt: options.createdAt }]);
      const queue = chooseQueue({ post: undefined as never, classification: classification!, receivedAt: options.createdAt }, options.queues);
      if (queue === wanted) chosen = { text, classification: classification!, queue };
    }
    if (!chosen) throw new Error(`the classifier routes no text drawn for "${intent}" there in ${ATTEMPTS_PER_POST} attempts; fix the templates`);
    posts.push({
      id,
      author: writer,
      text: chosen.text,
      createdAt: options.createdAt,
      expected: { queue: chosen.queue, category: chosen.classification.category, priority: chosen.classification.priority },
    });
    if (chosen.queue !== null) {
      const key = threadKey(writer.id, chosen.queue);
      threads.set(key, [...(threads.get(key) ?? []), id]);
    }
  }
  return { seed: options.seed, posts, threads };
}

/**
 * Each post delivered 1 to 5 times, its copies next to each other so that they are in flight
 * together. The first copy is a new delivery; each further one is, as often as not, the
 * platform retrying a delivery it already sent (same webhook-id, same bytes), and otherwise a
 * separate delivery of the same post (a new webhook-id: a resend, or a second subscription).
 */
export function deliveryPlan(corpus: Corpus, seed: number): DeliveryCopy[] {
  const random = mulberry32(seed);
  return corpus.posts.flatMap((post) => {
    const copies = 1 + Math.floor(random() * 5);
    const deliveries = [`msg_${post.id}_1`];
    const plan: DeliveryCopy[] = [{ postId: post.id, deliveryId: deliveries[0]! }];
    for (let copy = 1; copy < copies; copy++) {
      if (random() < 0.6) {
        plan.push({ postId: post.id, deliveryId: deliveries[Math.floor(random() * deliveries.length)]! });
      } else {
        deliveries.push(`msg_${post.id}_${deliveries.length + 1}`);
        plan.push({ postId: post.id, deliveryId: deliveries.at(-1)! });
      }
    }
    return plan;
  });
}

function fill(slot: string, random: () => number, pick: <T>(values: readonly T[]) => T, between: (low: number, high: number) => number): string {
  switch (slot) {
    case 'flight':
      return `RA ${between(100, 2999)}`;
    case 'city':
      return pick(CITIES);
    case 'airport':
      return pick(AIRPORTS);
    case 'gate':
      return `${pick(['A', 'B', 'C', 'D'])}${between(1, 40)}`;
    case 'hours':
      return String(between(2, 9));
    case 'minutes':
      return String(between(40, 190));
    case 'days':
      return String(between(2, 12));
    case 'age':
      return String(between(8, 14));
    case 'ref':
      return Array.from({ length: 6 }, () => 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'[Math.floor(random() * 32)]).join('');
    default:
      throw new Error(`unknown template slot {${slot}}`);
  }
}
