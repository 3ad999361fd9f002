import { describe, expect, it } from 'vitest';
import { toneOf } from '#domain/classification/sentiment-lexicon';
import { normalizeForModel, tokenize } from '#domain/classification/text-features';
import { withToneSubstitutes } from '../../../training/tone-substitutes.ts';

const post = (id: string, text: string, priority: 'P1' | 'P3' | 'P4' = 'P3') => ({ id, text, category: priority === 'P4' ? 'not_issue' : 'other_complaint', priority });
const words = (text: string) => tokenize(normalizeForModel(text)).map((token) => token.text);

describe('tone substitutes for training', () => {
  const examples = [
    post('a-0001', "@Delta I'm fuming, the agent was rude"),
    post('a-0002', 'Flight on time, lovely crew, thanks!', 'P4'),
    post('a-0003', 'my flight is at 6pm tomorrow', 'P4'),
    post('a-0004', 'AWFUL. Just awful.'),
  ];

  it('adds one copy per post with a listed word, each listed word swapped for another of the same tone, the rest as written', () => {
    const result = withToneSubstitutes(examples, 1, 7);
    expect(result.slice(0, examples.length)).toEqual(examples);
    const copies = result.slice(examples.length);
    expect(copies.map((copy) => copy.id)).toEqual(['a-0001~tone1', 'a-0002~tone1', 'a-0004~tone1']);
    for (const copy of copies) {
      const source = examples.find((example) => copy.id.startsWith(example.id))!;
      expect(copy).toMatchObject({ category: source.category, priority: source.priority });
      const [before, after] = [words(source.text), words(copy.text)];
      expect(after).toHaveLength(before.length);
      before.forEach((word, index) => {
        if (toneOf(word)) expect(toneOf(after[index]!), `${word} -> ${after[index]}`).toBe(toneOf(word));
        else expect(after[index]).toBe(word);
      });
    }
  });

  it('writes a swapped word in the case of the word it replaces', () => {
    const [, copy] = withToneSubstitutes([post('a-0004', 'AWFUL. Awful.')], 1, 7);
    expect(copy!.text).toMatch(/^[A-Z]+\. [A-Z][a-z]+\.$/);
  });

  it('is the same for the same seed and differs for another', () => {
    expect(withToneSubstitutes(examples, 2, 7)).toEqual(withToneSubstitutes(examples, 2, 7));
    expect(withToneSubstitutes(examples, 2, 7)).not.toEqual(withToneSubstitutes(examples, 2, 8));
  });

  it('leaves P1 posts and words that name a state of health or the taste of food alone', () => {
    expect(withToneSubstitutes([post('a-0005', 'terrible: my son got sick from the meal', 'P1')], 3, 7)).toHaveLength(1);
    const copies = withToneSubstitutes([post('a-0006', 'the chicken was gross and the crew was rude')], 5, 7).slice(1);
    expect(copies).toHaveLength(5);
    for (const copy of copies) expect(copy.text).toMatch(/^the chicken was gross and the crew was \w+$/);
  });

  it('adds nothing when no copies are asked for', () => {
    expect(withToneSubstitutes(examples, 0, 7)).toEqual(examples);
  });
});
