/**
 * Which language a post is in, so a post the model does not cover goes to a person (triage)
 * instead of being misread. Short social posts defeat n-gram detectors: tinyld and franc each
 * call about one English tweet in ten Russian, German or French. So English is recognised first
 * by its common words (most posts to a brand's English account are English, and this costs
 * nothing), and only a post without them is handed to the detector (tinyld), whose verdict is
 * taken when it is confident. The detector is loaded on first use: a cold start that sees only
 * English never pays for it.
 */
import type { detectAll as DetectAll } from 'tinyld/light';

export interface LanguageDecision {
  /** ISO 639-1 code, or `und` when the text is too short or too unclear to tell. */
  language: string;
  /** How it was told: the English words found, the detector's verdict, or the platform's hint. */
  rule: string;
  evidence: string[];
}

/** Common English words that are not also common words of another language the detector knows. */
const ENGLISH = new Set(
  (
    'the and or but of to at for from with by about into over after before my im ive id you your youre we our ' +
    'they their them she his it its this that these those are were be been being do does did dont didnt doesnt ' +
    'have has had havent hasnt can cant could couldnt wont would wouldnt should shouldnt not yes just still now then than ' +
    'why what when where who how any some all more most very too again ever never what whats there here thanks thank please pls ' +
    'thx u ur lol omg wtf smh get got getting go going gone went make made need want know say said tell told back out up down off ' +
    'flight flights plane bag bags luggage delayed delay late cancelled canceled gate seat crew time hours hour minutes today ' +
    'tomorrow tonight yesterday day night service customer airline airport trip travel home help'
  ).split(' '),
);

/** Non-Latin scripts: one letter of these settles the language family before any detector. */
const NON_LATIN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Cyrillic}\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Greek}\p{Script=Thai}\p{Script=Devanagari}\p{Script=Bengali}]/u;

/** Fewer letters than this (after links, mentions and numbers are removed) cannot be told apart. */
const MIN_LETTERS_TO_DETECT = 12;
/** One word, however long ("Awwweesssooomee!"), is too little for the detector: it guesses a language from letter pairs. */
const MIN_WORDS_TO_DETECT = 2;
/** tinyld's accuracy score above which its verdict is taken for a post without English words. */
const DETECTOR_CONFIDENCE = 0.3;
/** English words named as the evidence of an English post. */
const ENGLISH_EVIDENCE = 5;

/**
 * Words that only their language uses among those travel brands hear most, the words of a
 * disruption among them ("Flug gestrichen, keine Info", "volo cancellato"): two of one language
 * and no English settle a Latin-script post without the detector, which cannot place a post this
 * short. A word two languages share counts for both; the language with more wins.
 */
const FUNCTION_WORDS: Record<string, ReadonlySet<string>> = Object.fromEntries(
  Object.entries({
    es: 'el los las del por para está están estoy mi mis nuestro vuelo vuelos una pero muy hace desde nada todavía retraso maleta equipaje gracias horas nos cancelado cancelada cancelaron perdido perdida perdieron ayuda ninguna ninguno información habitación aeropuerto retrasado sucio sucia siempre',
    fr: 'le les des du est sont mon ma mes notre vol vols une avec pour pas très depuis rien encore retard bagage valise merci heures nous je vous annulé annulée annulés perdu perdue aucun aucune chambre retardé aéroport toujours jamais',
    de: 'der die das den dem ist sind mein meine unser flug flüge eine mit für nicht sehr seit nichts noch verspätung koffer gepäck danke stunden wir ich und gestrichen annulliert storniert verloren verspätet kein keine hilfe niemand zimmer flughafen ohne immer schon',
    it: 'il lo gli della sono mio mia nostro volo voli una con per non molto da niente ancora ritardo valigia bagaglio grazie ore siamo cancellato cancellata perso persa aiuto nessuno nessuna informazione informazioni aeroporto senza sempre',
    pt: 'os das está estão meu minha nosso voo voos uma com não muito desde nada ainda atraso mala bagagem obrigado obrigada horas estamos cancelado cancelada perdida ajuda ninguém nenhum nenhuma quarto aeroporto sem sempre atrasado informação',
    nl: 'het een mijn onze vlucht vluchten met voor niet erg sinds niets nog vertraging koffer bagage bedankt uur wij ik geannuleerd verloren kwijt hulp niemand geen kamer vliegveld luchthaven zonder altijd vertraagd',
  }).map(([language, words]) => [language, new Set(words.split(' '))]),
);

/** English words that are also words elsewhere ("is" in Dutch, "was" in German, "no" in Spanish): support only. */
const SHARED = new Set('a i an in on is was will am me no so he her as us'.split(' '));

let detectAll: typeof DetectAll | undefined;

/** Loads the detector (tinyld, light model); call before detectLanguage when detection may be needed. */
export async function loadLanguageDetector(): Promise<void> {
  detectAll ??= (await import('tinyld/light')).detectAll;
}

export function languageDetectorLoaded(): boolean {
  return detectAll !== undefined;
}

/** True when the text needs the detector: enough letters, and neither English nor another language's words settle it. */
export function needsDetector(text: string): boolean {
  // One English word in a Latin-script post settles it: the rest of the post need not be read.
  const { letters, english, nonLatin, words } = survey(text, 1);
  return letters >= MIN_LETTERS_TO_DETECT && words.length >= MIN_WORDS_TO_DETECT && (nonLatin || (english.length === 0 && !byFunctionWords(words)));
}

function byFunctionWords(words: readonly string[]): LanguageDecision | undefined {
  let best: LanguageDecision | undefined;
  for (const [language, vocabulary] of Object.entries(FUNCTION_WORDS)) {
    const hits = [...new Set(words.filter((word) => vocabulary.has(word)))];
    if (hits.length >= 2 && hits.length > (best?.evidence.length ?? 0)) best = { language, rule: 'function words', evidence: hits.slice(0, 5) };
  }
  return best;
}

/**
 * The language of a post. `hint` is the platform's own guess (X's `lang`), used when the text
 * alone cannot tell. Without a loaded detector, a post that would need it is `und`.
 */
export function detectLanguage(text: string, hint?: string): LanguageDecision {
  const { letters, english, shared, nonLatin, cleaned, words } = survey(text, ENGLISH_EVIDENCE);
  const englishWords = [...english, ...shared];
  const hinted = hint?.trim().toLowerCase().split('-')[0];
  const usableHint = hinted && /^[a-z]{2,3}$/.test(hinted) && hinted !== 'und' ? hinted : undefined;
  if (!nonLatin && english.length >= 1 && englishWords.length >= 2) return { language: 'en', rule: 'English words', evidence: englishWords.slice(0, ENGLISH_EVIDENCE) };
  // One English word in a short post ("lol", "thx!") is English unless the platform says otherwise.
  if (!nonLatin && english.length === 1 && letters < 40) {
    return usableHint && usableHint !== 'en'
      ? { language: usableHint, rule: "the platform's language", evidence: [hint!] }
      : { language: 'en', rule: 'English words', evidence: englishWords };
  }
  const other = !nonLatin && english.length === 0 ? byFunctionWords(words) : undefined;
  if (other) return other;
  if (letters >= MIN_LETTERS_TO_DETECT && words.length >= MIN_WORDS_TO_DETECT && detectAll) {
    const [best] = detectAll(cleaned());
    if (best && best.accuracy >= DETECTOR_CONFIDENCE) {
      return { language: best.lang, rule: 'language detector (tinyld)', evidence: [`${best.lang} at ${best.accuracy.toFixed(2)}`] };
    }
  }
  if (usableHint) return { language: usableHint, rule: "the platform's language", evidence: [hint!] };
  if (english.length > 0) return { language: 'en', rule: 'English words', evidence: english };
  return { language: 'und', rule: letters < MIN_LETTERS_TO_DETECT || words.length < MIN_WORDS_TO_DETECT ? 'too short to tell' : 'no language signal', evidence: [] };
}

/** Links, @mentions, #hashtags and entities are skipped; a word is letters with inner apostrophes. */
const SURVEY = /https?:\/\/\S+|[@#][\p{L}\p{N}_]+|&(?:amp|lt|gt|quot|apos|#39|nbsp);|(\p{L}+(?:['’]\p{L}+)*)/gu;

/**
 * One pass over the text: its words (lower case, no apostrophes), letters, English words. In a
 * Latin-script post it stops at the `enough`-th English word, which settles the post as English
 * with the same evidence a whole pass gives (English words are named before shared ones): most
 * posts are English, and this runs for every post.
 */
function survey(text: string, enough = Infinity) {
  const words: string[] = [];
  const english: string[] = [];
  const shared: string[] = [];
  let letters = 0;
  const nonLatin = NON_LATIN.test(text);
  const stopAt = nonLatin ? Infinity : enough;
  // An exec loop, not matchAll, which copies the pattern on every call.
  SURVEY.lastIndex = 0;
  for (let match = SURVEY.exec(text); match !== null; match = SURVEY.exec(text)) {
    if (match[1] === undefined) continue;
    const lower = match[1].toLowerCase();
    const word = lower.includes("'") || lower.includes('’') ? lower.replace(/['’]/g, '') : lower;
    words.push(word);
    letters += word.length;
    if (ENGLISH.has(word)) {
      if (!english.includes(word)) {
        english.push(word);
        if (english.length >= stopAt) break;
      }
    } else if (SHARED.has(word) && !shared.includes(word)) shared.push(word);
  }
  return { letters, english, shared, words, nonLatin, cleaned: () => words.join(' ') };
}
