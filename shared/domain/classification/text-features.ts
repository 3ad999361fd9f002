/**
 * The features the linear model reads, computed the same way when it is trained
 * (training/train.ts) and when it classifies: word unigrams with negation marked, word bigrams,
 * and character 3-4-grams inside each word (typos, elongation and inflections share most of
 * them). Each feature is hashed into a fixed number of buckets, so the model needs no
 * vocabulary; the token each feature came from is kept, so a decision can name its words.
 */

import { toneOf } from './sentiment-lexicon.ts';

const HTML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", nbsp: ' ' };

/** The HTML entities X sends in post text (`&amp;`, `&lt;`, `&gt;`...), decoded. */
export function decodeHtmlEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#39|nbsp);/g, (_, name: string) => HTML_ENTITIES[name] ?? ' ');
}

/** Words that put the next few words in a negated scope ("not delayed at all"). */
const NEGATORS = new Set([
  'not', 'no', 'never', 'nobody', 'nothing', 'none', 'nor', 'neither', 'without', 'cannot', 'cant', 'dont', 'didnt', 'doesnt',
  'isnt', 'wasnt', 'werent', 'arent', 'wont', 'wouldnt', 'couldnt', 'shouldnt', 'havent', 'hasnt', 'hadnt', 'aint',
]);
/** A negated scope ends at punctuation, at "but", or after this many words. */
const NEGATION_SPAN = 4;
const SCOPE_BREAKERS = new Set(['but', 'however', 'though', 'although']);

export const MIN_CHAR_GRAM = 3;
export const MAX_CHAR_GRAM = 4;

export interface Token {
  /** Normalised: lower case, elongation squeezed, no apostrophes; digits as written (the features read them as 0). */
  text: string;
  negated: boolean;
  /** An emoji or symbol rather than a word. */
  symbol: boolean;
}

/**
 * Social text as the model reads it: HTML entities decoded (X sends `&amp;`), URLs and
 * @mentions replaced by placeholders (which account or link is not a complaint signal), `#`
 * dropped so "#delayed" reads as "delayed", lower case, letters repeated three or more times
 * squeezed to two ("sooooo" -> "soo"). Digits are kept, so a decision can show "5 hours"; the
 * features read every digit as 0 ("5 hours" and "3 hours" share them; the entity extractor reads
 * the real numbers).
 */
export function normalizeForModel(text: string): string {
  return decodeHtmlEntities(text)
    .replace(/\bhttps?:\/\/\S+/gi, ' xurl ')
    .replace(/(^|[^\p{L}\p{N}_])@\w+/gu, '$1 xuser ')
    .replace(/#(?=[\p{L}\p{N}])/gu, ' ')
    .toLowerCase()
    .replace(/(\p{L})\1{2,}/gu, '$1$1');
}

/**
 * Text emoticons (":)", ":-(", ":/", ";)", ":D", ":P"), standing alone, read before the punctuation
 * they are made of: on X they carry tone as plainly as emoji do. Lower case by now (":D" is ":d").
 */
// The eye first and the look back after it, so the look back runs only where an eye is.
const EMOTICON = String.raw`[:;=](?<![\p{L}\p{N}].)-?[()\/|dp](?![\p{L}\p{N}])`;
const TOKEN = new RegExp(`[\\p{L}\\p{N}]+(?:['’][\\p{L}]+)*|${EMOTICON}|\\p{Extended_Pictographic}|[.!?;:,()]`, 'gu');
const PUNCTUATION = /^[.!?;:,()]$/;
/** One spelling per face: ":-)" and "=)" are ":)", ":-|" is ":/", ";(" is ":(". */
const EMOTICON_FORMS: Record<string, string> = { ')': ':)', '(': ':(', '/': ':/', '|': ':/', d: ':d', p: ':p' };
function emoticon(raw: string): string | undefined {
  const eye = raw.charCodeAt(0);
  if (raw.length < 2 || (eye !== 58 && eye !== 59 && eye !== 61)) return undefined; // ':' ';' '='
  const mouth = raw[raw.length - 1]!;
  if (raw[0] === ';') return mouth === '(' ? ':(' : ';)';
  return EMOTICON_FORMS[mouth];
}

/** Words and emoji in order, with negated scopes marked; punctuation only ends scopes. */
export function tokenize(normalized: string): Token[] {
  const tokens: Token[] = [];
  let negatedLeft = 0;
  // An exec loop, not matchAll, which copies the pattern on every call: this runs for every post.
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(normalized); match !== null; match = TOKEN.exec(normalized)) {
    const raw = match[0];
    const face = emoticon(raw);
    if (face) {
      tokens.push({ text: face, negated: false, symbol: true });
      if (negatedLeft > 0) negatedLeft--;
      continue;
    }
    if (PUNCTUATION.test(raw)) {
      negatedLeft = 0;
      continue;
    }
    const text = raw.replace(/['’]/g, '');
    if (SCOPE_BREAKERS.has(text)) negatedLeft = 0;
    const symbol = !/[\p{L}\p{N}]/u.test(text);
    tokens.push({ text, negated: negatedLeft > 0 && !symbol, symbol });
    if (negatedLeft > 0) negatedLeft--;
    if (NEGATORS.has(text)) negatedLeft = NEGATION_SPAN;
  }
  return tokens;
}

/**
 * Hashed features of a text, every digit read as 0, with the token each came from: a bigram
 * names its first word and is marked in `pairs`, so its weight can be shared with the word after
 * it when a decision names its words ("a joke" is evidence of "joke" as much as of "a").
 */
export interface Features {
  buckets: Uint32Array;
  tokens: Int32Array;
  /** 1 where the feature is a bigram of `tokens[i]` and the token after it. */
  pairs: Uint8Array;
  length: number;
}

// FNV-1a, 32 bits: small, fast and the same in training and at run time. A seed per feature
// kind keeps a word, a bigram and a character gram with the same letters in different buckets.
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const SEED_WORD = 0x9e3779b1;
const SEED_NEGATED = 0x85ebca77;
const SEED_BIGRAM = 0xc2b2ae3d;
const SEED_CHARS = 0x27d4eb2f;
const SEED_TONE = 0x165667b1;

function mix(hash: number, code: number): number {
  return Math.imul(hash ^ code, FNV_PRIME) >>> 0;
}

const ZERO = 48;
const NINE = 57;
const WORD_START = 60; // '<'
const WORD_END = 62; // '>'

// The two loops below read every digit as 0 (see normalizeForModel) and mix in place: they run
// for every character of every post, and a cold start's first posts run them in V8's
// interpreter, where each call per character costs more than the hashing.
function hashString(seed: number, text: string): number {
  let hash = (FNV_OFFSET ^ seed) >>> 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    hash = Math.imul(hash ^ (code >= ZERO && code <= NINE ? ZERO : code), FNV_PRIME) >>> 0;
  }
  return hash;
}

/**
 * The hash of `size` characters from `start` of the word with its boundaries, "<word>", without
 * building that string: position 0 is "<", position length + 1 is ">".
 */
function hashCharGram(seed: number, text: string, start: number, size: number): number {
  let hash = (FNV_OFFSET ^ seed) >>> 0;
  const end = text.length + 1;
  for (let at = start; at < start + size; at++) {
    const code = at === 0 ? WORD_START : at === end ? WORD_END : text.charCodeAt(at - 1);
    hash = Math.imul(hash ^ (code >= ZERO && code <= NINE ? ZERO : code), FNV_PRIME) >>> 0;
  }
  return hash;
}

/** Reused between calls, so classifying allocates nothing per feature: read a result before the next call. */
let scratch = { buckets: new Uint32Array(1024), tokens: new Int32Array(1024), pairs: new Uint8Array(1024) };

export function extractFeatures(tokens: readonly Token[], bucketCount: number): Features {
  const mask = bucketCount - 1;
  let length = 0;
  const push = (hash: number, token: number, pair = 0) => {
    if (length === scratch.buckets.length) {
      const grown = { buckets: new Uint32Array(length * 2), tokens: new Int32Array(length * 2), pairs: new Uint8Array(length * 2) };
      grown.buckets.set(scratch.buckets);
      grown.tokens.set(scratch.tokens);
      grown.pairs.set(scratch.pairs);
      scratch = grown;
    }
    scratch.buckets[length] = hash & mask;
    scratch.tokens[length] = token;
    scratch.pairs[length] = pair;
    length++;
  };
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    push(hashString(token.negated ? SEED_NEGATED : SEED_WORD, token.text), index);
    const next = tokens[index + 1];
    if (next) push(mix(hashString(SEED_BIGRAM, token.text), 0x20) ^ hashString(SEED_BIGRAM ^ 0x5bd1e995, next.text), index, 1);
    const tone = toneOf(token.text);
    // One shared feature per tone (negated apart: "not happy" is no praise), named by its word.
    if (tone) push(hashString(token.negated ? SEED_TONE ^ 1 : SEED_TONE, tone), index);
    if (token.symbol || token.text.length < 2) continue;
    // Character grams over the word with its boundaries: "<late>" gives "<la", "lat", "ate", "te>"...
    const bounded = token.text.length + 2;
    for (let size = MIN_CHAR_GRAM; size <= MAX_CHAR_GRAM; size++) {
      for (let start = 0; start + size <= bounded; start++) push(hashCharGram(SEED_CHARS + size, token.text, start, size), index);
    }
  }
  return { buckets: scratch.buckets, tokens: scratch.tokens, pairs: scratch.pairs, length };
}
