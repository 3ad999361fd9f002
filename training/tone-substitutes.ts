import type { Priority } from '#contracts/classification';
import { toneOf, toneWords, type Tone } from '#domain/classification/sentiment-lexicon';
import { mulberry32 } from './seeded-random.ts';

/** A word as the tokenizer reads one: letters, with apostrophes inside ("didn't"). */
const WORD = /\p{L}+(?:['’]\p{L}+)*/gu;

/**
 * Listed words that also say what is wrong, not only how the writer feels: a state of health
 * ("I got sick") or the taste of food ("the chicken was gross"). Swapping them would make a meal
 * or safety post lose the word its category or priority rests on, so they are never swapped.
 */
const TOPIC_WORDS = new Set(['sick', 'sickening', 'gross', 'disgusting', 'disgusted', 'abuse', 'hostile', 'uncomfortable', 'exhausted', 'exhausting']);

/**
 * The examples, then copies of those that use a listed tone word (shared/domain/classification/
 * sentiment-lexicon.ts) with each such word swapped for another word of the same list, chosen by
 * a seeded generator: "@Delta I'm fuming" is also learned as "@Delta I'm livid".
 *
 * Why: the lexicon gives every listed word one shared tone feature, so that a listed word the
 * corpus never uses still reads as a complaint or as praise. But a word the corpus does use also
 * learns weights of its own, and a word used once learns its one post's label: "furious" is in
 * six posts, one of them praise ("I'm furious... that I didn't book this upgrade sooner"), and the
 * model read "I am furious about the 3 hours wait at JFK" as no issue. Met in many posts' places,
 * each listed word learns the tone its list gives it.
 *
 * A copy keeps its post's category and priority: one complaint word for another changes neither.
 * P1 posts are not copied (the safety head learns from their exact words), nor are the words in
 * TOPIC_WORDS swapped.
 */
export function withToneSubstitutes<T extends { id?: string; text: string; priority: Priority }>(examples: readonly T[], copies: number, seed: number): T[] {
  const random = mulberry32(seed);
  const lists: Record<Tone, string[]> = { complaint: toneWords('complaint'), praise: toneWords('praise') };
  const substitutes: T[] = [];
  for (let copy = 1; copy <= copies; copy++) {
    for (const example of examples) {
      if (example.priority === 'P1') continue;
      let swapped = false;
      const text = example.text.replace(WORD, (word) => {
        const token = word.toLowerCase().replace(/['’]/g, '');
        const tone = toneOf(token);
        if (!tone || TOPIC_WORDS.has(token)) return word;
        swapped = true;
        const list = lists[tone];
        return inCaseOf(word, list[Math.floor(random() * list.length)]!);
      });
      if (swapped) substitutes.push({ ...example, ...(example.id === undefined ? {} : { id: `${example.id}~tone${copy}` }), text });
    }
  }
  return [...examples, ...substitutes];
}

/** `word` written the way `original` was: "AWFUL" -> "HORRIBLE", "Awful" -> "Horrible". */
function inCaseOf(original: string, word: string): string {
  if (original.length > 1 && original === original.toUpperCase()) return word.toUpperCase();
  if (original[0] === original[0]!.toUpperCase()) return word[0]!.toUpperCase() + word.slice(1);
  return word;
}
