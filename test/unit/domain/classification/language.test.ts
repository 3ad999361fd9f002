import { beforeAll, describe, expect, it, vi } from 'vitest';
import { detectLanguage, loadLanguageDetector, needsDetector } from '#domain/classification/language';

/** The module as a cold start sees it: the detector not loaded yet. */
async function coldLanguageModule() {
  vi.resetModules();
  return import('#domain/classification/language');
}

const ENGLISH_POSTS = [
  '@united my flight UA123 is delayed again #fail https://t.co/abc 😡',
  '@Delta thx 4 nothing smh 🙄',
  'omg @AmericanAir lost my bag AGAIN',
  '@JetBlue gate agent was rude af',
  'Great crew, smooth landing in Denver ✈️',
  "@SouthwestAir 3 hrs on the tarmac &amp; no water, why?? https://t.co/x1y2z3",
];

// One sentence each, with fewer than two of the function words that settle a language without the detector.
const POSTS_FOR_THE_DETECTOR = [
  ['es', 'Nadie en el mostrador supo decirnos cuándo salimos'],
  ['de', 'Niemand am Schalter konnte uns sagen, wann es weitergeht'],
  ['fr', 'Ils ont égaré la valise et personne ne répond au téléphone'],
  ['pt', 'Ninguém no balcão soube dizer quando vamos embarcar'],
  ['it', 'Nessuno al banco sapeva dirci quando saremmo partiti'],
  ['ja', 'フライトが3時間遅れています。説明もありません'],
  ['ru', 'Мой рейс задержали на три часа, никто ничего не объясняет'],
] as const;

describe('English posts', () => {
  it.each(ENGLISH_POSTS)('tells "%s" is English by its words, without the detector', (text) => {
    expect(needsDetector(text)).toBe(false);
    const decision = detectLanguage(text);
    expect(decision).toMatchObject({ language: 'en', rule: 'English words' });
    expect(decision.evidence.length).toBeGreaterThan(0);
    for (const word of decision.evidence) expect(text.toLowerCase()).toContain(word);
  });

  it('never loads the detector on a cold start that sees only English', async () => {
    const language = await coldLanguageModule();
    for (const text of ENGLISH_POSTS) expect(language.detectLanguage(text).language).toBe('en');
    expect(language.languageDetectorLoaded()).toBe(false);
  });

  it('takes the English words over the platform hint', () => {
    expect(detectLanguage('my flight is delayed again', 'es').language).toBe('en');
  });
});

describe('posts in other languages', () => {
  it('settles a post with two function words of one language without the detector', () => {
    const text = 'Mi vuelo lleva tres horas de retraso y nadie nos da información';
    expect(needsDetector(text)).toBe(false);
    expect(detectLanguage(text)).toEqual({ language: 'es', rule: 'function words', evidence: ['mi', 'vuelo', 'horas', 'retraso', 'nos'] });
  });

  it.each([
    ['de', 'Flug gestrichen, keine Info', ['flug', 'gestrichen', 'keine']],
    ['it', 'volo cancellato, nessuna informazione', ['volo', 'cancellato', 'nessuna', 'informazione']],
    ['es', '@aerolinea vuelo cancelado!!', ['vuelo', 'cancelado']],
    ['pt', 'voo cancelado', ['voo', 'cancelado']],
    ['fr', 'bagage perdu', ['bagage', 'perdu']],
    ['nl', 'vlucht geannuleerd, geen hulp', ['vlucht', 'geannuleerd', 'geen', 'hulp']],
  ])('settles a disruption too short for the detector by its words, in %s: "%s"', (language, text, evidence) => {
    expect(needsDetector(text)).toBe(false);
    expect(detectLanguage(text)).toEqual({ language, rule: 'function words', evidence });
  });

  it('gives a word two languages share to the language with more words in the post', () => {
    expect(detectLanguage('vuelo cancelado').language).toBe('es');
    expect(detectLanguage('voo cancelado').language).toBe('pt');
  });

  it('cannot tell a post that needs the detector before the detector is loaded', async () => {
    const language = await coldLanguageModule();
    const text = 'Nessuno al banco sapeva dirci quando saremmo partiti';
    expect(language.needsDetector(text)).toBe(true);
    expect(language.detectLanguage(text)).toEqual({ language: 'und', rule: 'no language signal', evidence: [] });
  });

  it('loads the detector once asked to', async () => {
    const language = await coldLanguageModule();
    await language.loadLanguageDetector();
    expect(language.languageDetectorLoaded()).toBe(true);
  });

  describe('with the detector loaded', () => {
    beforeAll(loadLanguageDetector);

    it.each(POSTS_FOR_THE_DETECTOR)('reads a post in %s: "%s"', (expected, text) => {
      expect(needsDetector(text)).toBe(true);
      const decision = detectLanguage(text);
      expect(decision).toMatchObject({ language: expected, rule: 'language detector (tinyld)' });
      expect(decision.evidence).toEqual([expect.stringMatching(new RegExp(`^${expected} at [01]\\.\\d\\d$`))]);
    });

    it('uses the platform hint for laughter the detector cannot place', () => {
      expect(detectLanguage('jajajajajajajaja', 'es')).toEqual({ language: 'es', rule: "the platform's language", evidence: ['es'] });
    });
  });
});

describe('posts too short to tell', () => {
  it.each(['ok 👍', '😡😡😡', '@united #fail https://t.co/x1y2z3 123', '@SkyLarkAir Fantaaaaastiiiiic!'])('gives und for "%s"', (text) => {
    expect(needsDetector(text)).toBe(false);
    expect(detectLanguage(text)).toEqual({ language: 'und', rule: 'too short to tell', evidence: [] });
  });

  it('reads a lone "lol" as English social shorthand, unless the platform says the post is in another language', () => {
    expect(detectLanguage('lol').language).toBe('en');
    expect(detectLanguage('lol', 'es').language).toBe('es');
  });

  it('uses the platform hint when the text cannot tell', () => {
    expect(detectLanguage('ok 👍', 'es')).toEqual({ language: 'es', rule: "the platform's language", evidence: ['es'] });
  });

  it('reads a regional hint as its language', () => {
    expect(detectLanguage('ok 👍', 'pt-BR')).toEqual({ language: 'pt', rule: "the platform's language", evidence: ['pt-BR'] });
  });

  it('ignores a hint that is itself undetermined', () => {
    expect(detectLanguage('ok 👍', 'und').language).toBe('und');
  });
});
