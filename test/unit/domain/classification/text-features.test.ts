import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractFeatures, normalizeForModel, tokenize, type Token } from '#domain/classification/text-features';

// `npm run fuzz` raises FUZZ_RUNS to search harder.
const runs = { numRuns: Number(process.env.FUZZ_RUNS ?? 1000) };
const socialText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.constantFrom('@united UA123 delayed 5 hours &amp; #fail https://t.co/AbC123 😡', "didn't get my bag back!!!", 'sooooo 2h30 late, n0t ok', ''),
);

const tokensOf = (text: string) => tokenize(normalizeForModel(text));
/** The features of a text, copied out of the scratch buffer the next call reuses. */
const featuresOf = (tokens: readonly Token[], bucketCount = 1 << 18) => {
  const features = extractFeatures(tokens, bucketCount);
  return {
    buckets: [...features.buckets.subarray(0, features.length)],
    tokens: [...features.tokens.subarray(0, features.length)],
    pairs: [...features.pairs.subarray(0, features.length)],
  };
};
const negatedWords = (text: string) => tokensOf(text).filter((token) => token.negated).map((token) => token.text);

describe('normalising social text for the model', () => {
  it('decodes the HTML entities X sends', () => {
    expect(normalizeForModel('crew &amp; gate &lt;3 &quot;fine&quot;')).toBe('crew & gate <3 "fine"');
  });

  it('replaces links and @mentions with placeholders, and reads a hashtag as its word', () => {
    expect(normalizeForModel('@United #Delayed again https://t.co/AbC123')).toBe(' xuser   delayed again  xurl ');
  });

  it('does not take an email address for a mention', () => {
    expect(normalizeForModel('email me@example.com')).toBe('email me@example.com');
  });

  it('lower-cases and squeezes letters repeated three times or more to two', () => {
    expect(normalizeForModel('SOOOOO late, DELAYYYYYED!!! cooool')).toBe('soo late, delayyed!!! cool');
  });

  it('keeps digits, so a decision can show them', () => {
    expect(normalizeForModel('UA123 delayed 5 hours')).toBe('ua123 delayed 5 hours');
  });

  it('reads every digit as 0 in the features, so "5 hours" and "3 hours" are the same to the model', () => {
    const features = (text: string) => {
      const extracted = extractFeatures(tokenize(normalizeForModel(text)), 1 << 17);
      return [...extracted.buckets.subarray(0, extracted.length)];
    };
    expect(features('UA123 delayed 5 hours')).toEqual(features('UA000 delayed 0 hours'));
    expect(features('UA123 delayed 5 hours')).not.toEqual(features('UA delayed hours'));
    fc.assert(
      fc.property(socialText, (text) => {
        expect(features(text)).toEqual(features(text.replace(/\d/g, '0')));
      }),
      runs,
    );
  });
});

describe('tokenising with negated scopes', () => {
  it('drops punctuation and apostrophes, keeping words in order', () => {
    expect(tokensOf("Didn't get my bag, again!").map((token) => token.text)).toEqual(['didnt', 'get', 'my', 'bag', 'again']);
  });

  it('negates at most the four words after a negator', () => {
    expect(negatedWords('not delayed at all and the crew was great')).toEqual(['delayed', 'at', 'all', 'and']);
  });

  it.each([
    ['never again will i fly with you', ['again', 'will', 'i', 'fly']],
    ["didn't get my bag back", ['get', 'my', 'bag', 'back']],
    ['wasn’t on time', ['on', 'time']],
    ['no food', ['food']],
  ])('starts a scope after the negator in "%s"', (text, negated) => {
    expect(negatedWords(text)).toEqual(negated);
  });

  it('ends a scope at punctuation', () => {
    expect(negatedWords('not great. delayed again')).toEqual(['great']);
    expect(negatedWords('no food, no water, crew rude')).toEqual(['food', 'water']);
  });

  it('ends a scope at "but"', () => {
    expect(negatedWords('not delayed but cancelled outright')).toEqual(['delayed']);
  });

  it('leaves words outside any scope unnegated', () => {
    expect(negatedWords('delayed again, crew was great')).toEqual([]);
  });

  it('keeps emoji as symbol tokens and never negates them', () => {
    const tokens = tokensOf('not happy 😡 at all');
    expect(tokens.find((token) => token.text === '😡')).toEqual({ text: '😡', negated: false, symbol: true });
    expect(tokens.find((token) => token.text === 'happy')).toEqual({ text: 'happy', negated: true, symbol: false });
    expect(tokens.filter((token) => token.symbol).map((token) => token.text)).toEqual(['😡']);
  });

  it('reads text emoticons as one symbol token each, in one spelling per face', () => {
    const symbols = (text: string) => tokensOf(text).filter((token) => token.symbol).map((token) => token.text);
    expect(symbols('thanks :) see you')).toEqual([':)']);
    expect(symbols('again :-( and =( and :/ and :-| ')).toEqual([':(', ':(', ':/', ':/']);
    expect(symbols('lol :D :P ;)')).toEqual([':d', ':p', ';)']);
  });

  it('finds no emoticon in times, URLs, words or ordinary brackets', () => {
    expect(tokensOf('boarding at 10:30 (gate b) note:please http://t.co/x:p').filter((token) => token.symbol)).toEqual([]);
  });
});

describe('hashed features', () => {
  it('gives the same features for the same tokens', () => {
    const tokens = tokensOf('@united flight delayed 5 hours, not happy 😡');
    const first = featuresOf(tokens);
    featuresOf(tokensOf('something else entirely'));
    expect(featuresOf(tokens)).toEqual(first);
  });

  it('keeps every bucket below a power-of-two bucket count', () => {
    fc.assert(
      fc.property(socialText, fc.integer({ min: 0, max: 24 }), (text, power) => {
        const bucketCount = 2 ** power;
        for (const bucket of featuresOf(tokensOf(text), bucketCount).buckets) expect(bucket).toBeLessThan(bucketCount);
      }),
      runs,
    );
  });

  it('names, for every feature, a token of the text, and gives every token a feature', () => {
    fc.assert(
      fc.property(socialText, (text) => {
        const tokens = tokensOf(text);
        const sources = featuresOf(tokens).tokens;
        for (const index of sources) expect(index >= 0 && index < tokens.length).toBe(true);
        expect(new Set(sources).size).toBe(tokens.length);
      }),
      runs,
    );
  });

  it('marks one bigram for each pair of neighbouring tokens, named by its first token', () => {
    fc.assert(
      fc.property(socialText, (text) => {
        const tokens = tokensOf(text);
        const features = featuresOf(tokens);
        const pairedTokens = features.tokens.filter((_, index) => features.pairs[index] === 1);
        expect(pairedTokens).toEqual(tokens.slice(0, -1).map((_, index) => index));
      }),
      runs,
    );
  });

  it('grows past its scratch buffer for a long post', () => {
    const tokens = tokensOf('delayed again and again '.repeat(100));
    const { buckets, tokens: sources, pairs } = featuresOf(tokens, 1 << 10);
    expect(buckets.length).toBeGreaterThan(1024);
    expect(Math.max(...buckets)).toBeLessThan(1 << 10);
    expect(Math.max(...sources)).toBe(tokens.length - 1);
    expect(pairs.filter((pair) => pair === 1)).toHaveLength(tokens.length - 1);
  });

  it('gives every complaint word one shared feature, and every praise word another, so a listed word the corpus never used still counts', () => {
    const shared = (a: string, b: string) => {
      const first = featuresOf(tokensOf(a)).buckets;
      return featuresOf(tokensOf(b)).buckets.filter((bucket) => first.includes(bucket));
    };
    expect(shared('pathetic', 'livid')).toHaveLength(1);
    expect(shared('kudos', 'superb')).toHaveLength(1);
    expect(shared('pathetic', 'kudos')).toEqual([]);
    // Negated, a praise word shares a feature with other negated praise ("never happy", "not pleased"), not with praise.
    expect(shared('happy', 'pleased')).toHaveLength(1);
    expect(shared('never happy', 'not pleased')).toHaveLength(1);
    expect(shared('happy', 'never pleased')).toEqual([]);
  });

  it('hashes a negated word apart from the same word unnegated', () => {
    const [, plain] = tokensOf('was delayed');
    const [, negated] = tokensOf('not delayed');
    expect(featuresOf([plain!]).buckets[0]).not.toBe(featuresOf([negated!]).buckets[0]);
  });

  it('lets "delayed" and "delaaaayed" share most features, and any elongation the same ones', () => {
    const shared = (a: number[], b: number[]) => a.filter((bucket) => b.includes(bucket)).length;
    const delayed = featuresOf(tokensOf('delayed')).buckets;
    const elongated = featuresOf(tokensOf('delaaaayed')).buckets;
    const unrelated = featuresOf(tokensOf('cancelled')).buckets;
    expect(shared(delayed, elongated)).toBeGreaterThan(delayed.length / 2);
    expect(shared(delayed, unrelated)).toBeLessThan(shared(delayed, elongated) / 4);
    expect(featuresOf(tokensOf('delaaaaaaaaayed'))).toEqual(featuresOf(tokensOf('delaaaayed')));
  });
});
