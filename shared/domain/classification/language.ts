/**
 * A small language guess for the rule classifier: script for non-Latin text, and function words
 * for the Latin-script languages travel brands hear most. Returns `und` when it cannot tell.
 */
const SCRIPTS: Array<[RegExp, string]> = [
  [/\p{Script=Hangul}/u, 'ko'],
  [/[\p{Script=Hiragana}\p{Script=Katakana}]/u, 'ja'],
  [/\p{Script=Han}/u, 'zh'],
  [/\p{Script=Arabic}/u, 'ar'],
  [/\p{Script=Cyrillic}/u, 'ru'],
  [/\p{Script=Greek}/u, 'el'],
  [/\p{Script=Hebrew}/u, 'he'],
  [/\p{Script=Thai}/u, 'th'],
  [/\p{Script=Devanagari}/u, 'hi'],
];

const FUNCTION_WORDS: Record<string, string[]> = {
  en: ['the', 'my', 'i', 'is', 'was', 'and', 'to', 'for', 'you', 'your', 'our', 'we', 'it', 'not', 'no', 'on', 'at', 'of', 'this', 'flight', 'still', 'why', 'hours'],
  es: ['el', 'la', 'los', 'las', 'mi', 'es', 'está', 'y', 'que', 'por', 'para', 'vuelo', 'no', 'con', 'una', 'horas'],
  fr: ['le', 'la', 'les', 'mon', 'ma', 'est', 'et', 'que', 'pour', 'vol', 'pas', 'avec', 'une', 'je', 'heures'],
  de: ['der', 'die', 'das', 'mein', 'ist', 'und', 'nicht', 'ich', 'flug', 'mit', 'für', 'ein', 'eine', 'stunden'],
  it: ['il', 'lo', 'la', 'mio', 'è', 'e', 'che', 'per', 'volo', 'non', 'con', 'una', 'ore'],
  pt: ['o', 'os', 'meu', 'minha', 'é', 'e', 'que', 'para', 'voo', 'não', 'com', 'uma', 'horas'],
  nl: ['de', 'het', 'mijn', 'is', 'en', 'niet', 'ik', 'vlucht', 'met', 'een', 'uur'],
};

export interface LanguageGuess {
  language: string;
  evidence: string[];
}

export function guessLanguage(normalized: string): LanguageGuess {
  for (const [script, language] of SCRIPTS) {
    const match = script.exec(normalized);
    if (match) return { language, evidence: [`script of "${match[0]}"`] };
  }
  const words = normalized.split(/[^\p{L}]+/u).filter(Boolean);
  let best: LanguageGuess = { language: 'und', evidence: [] };
  for (const [language, vocabulary] of Object.entries(FUNCTION_WORDS)) {
    const hits = [...new Set(words.filter((word) => vocabulary.includes(word)))];
    if (hits.length > best.evidence.length) best = { language, evidence: hits };
  }
  return best;
}
