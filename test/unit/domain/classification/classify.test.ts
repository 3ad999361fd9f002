import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadEmbeddedModel } from '#adapters/embedded-classifier';
import { loadConfig } from '#config/load-config';
import { Classification } from '#contracts/classification';
import { createPostClassifier } from '#domain/classification/classify';
import { toneWords } from '#domain/classification/sentiment-lexicon';
import { shippedTestClassifier } from '#test/support/in-memory-ports';

const classifier = shippedTestClassifier();

/** A model that reads every post alike, with a set chance of being an issue: only the rules differ between posts. */
function modelGiving(issueChance: number) {
  const buckets = 1 << 4;
  const notIssueLogit = Math.log((5 * (1 - issueChance)) / issueChance);
  return {
    category: { header: { labels: ['delay', 'cancellation', 'meal', 'baggage', 'other_complaint', 'not_issue'], buckets, scale: 1, bias: [0, 0, 0, 0, 0, notIssueLogit] }, weights: new Int8Array(buckets * 6) },
    safety: { header: { labels: ['safety', 'none'], buckets, scale: 1, bias: [-10, 0] }, weights: new Int8Array(buckets * 2) },
    training: {},
  };
}
const run = async (text: string, extra: { createdAt?: string; languageHint?: string } = {}) => (await classifier.classify([{ text, ...extra }]))[0]!;

describe('the shipped classifier', () => {
  it.each([
    ['@airline flight UA123 delayed 4 hours and still waiting #fail', 'delay', 'P2'],
    ['Thanks for the 5 hour delay, really appreciate it 🙄', 'delay', 'P2'],
    ['our flight got cancelled and no rebooking offered', 'cancellation', 'P2'],
    ['my flight AA100 to JFK was cancelled and nobody is rebooking me', 'cancellation', 'P2'],
    ['Flight was cancelled, rebooked on the evening one', 'cancellation', 'P3'],
    ['missed my connection in Frankfurt because the first flight was late', 'delay', 'P2'],
    ['My bag never arrived in Lisbon', 'baggage', 'P3'],
    ['The vegetarian meal was cold and stale, barely edible', 'meal', 'P3'],
    ['I got food poisoning from the chicken on board', 'meal', 'P1'],
    ['They lost my suitcase with my insulin in it', 'baggage', 'P1'],
    ['The gate agent was rude and unhelpful', 'other_complaint', 'P3'],
    ['on hold for 3 hours and nobody picks up', 'other_complaint', 'P3'],
  ] as const)('reads "%s" as %s, %s', async (text, category, priority) => {
    expect(await run(text)).toMatchObject({ isIssue: true, category, priority });
  });

  it.each([
    'Loved the meal on BA 2490, thank you!',
    'Is flight DL45 on time today?',
    'Great crew, smooth landing in Denver',
    'not delayed at all, landed 10 minutes early. impressed!',
  ])('reads "%s" as no issue (P4)', async (text) => {
    expect(await run(text)).toMatchObject({ isIssue: false, category: 'not_issue', priority: 'P4' });
  });

  it.each(['@SkyLarkAir', '@SkyLarkAir @AnotherBrand ?', 'https://t.co/AbC123xyz', '@SkyLarkAir https://t.co/AbC123xyz !!'])(
    'reads "%s", with no words beyond mentions and links, as no issue and says why',
    async (text) => {
      const result = await run(text);
      expect(result).toMatchObject({ isIssue: false, category: 'not_issue', priority: 'P4', confidence: 1 });
      expect(result.reasons).toContainEqual({ decision: 'issue', rule: 'nothing to read: no words beyond mentions and links', evidence: [] });
    },
  );

  it('reads a listed complaint word on its own as an issue and a listed praise word as none, whether or not the corpus uses it', async () => {
    // Before the corpus's tone substitutes (training/tone-substitutes.ts): 165 of 185 and 64 of 70.
    for (const [tone, issue] of [['complaint', true], ['praise', false]] as const) {
      const words = toneWords(tone);
      const results = await classifier.classify(words.map((text) => ({ text })));
      const misread = words.filter((_, index) => results[index]!.isIssue !== issue);
      expect(misread.length, `${tone} words misread: ${misread.join(' ')}`).toBeLessThanOrEqual(words.length * 0.05);
    }
    expect(await run('I am furious about the 3 hours wait at JFK')).toMatchObject({ isIssue: true });
  });

  it('copes with social text: entities as X sends them, caps, elongation, hashtags, mentions and links', async () => {
    const result = await run('@SkyLarkAir DELAYYYYYED againnnn &amp; no update #fail https://t.co/AbC123xyz');
    expect(result).toMatchObject({ isIssue: true, category: 'delay' });
  });

  it('names the words behind the issue and category decisions, the rule behind the priority, and the entities', async () => {
    const result = await run('Flight UA123 from ORD delayed 4 hours, still sitting at the gate');
    const byDecision = Object.fromEntries(result.reasons.map((reason) => [reason.decision, reason]));
    expect(byDecision.issue!.rule).toMatch(/^model: \d+% an issue$/);
    expect(byDecision.category!.evidence).toContain('delayed');
    expect(byDecision.priority).toEqual({ decision: 'priority', rule: 'P2 severe disruption: delay of 180 minutes or more', evidence: ['240 minutes'] });
    expect(result.entities).toEqual({ flightNumbers: ['UA123'], airports: ['ORD'], bookingRefs: [], delayMinutes: 240 });
    expect(result.reasons).toContainEqual({ decision: 'entity', rule: 'flightNumbers', evidence: ['UA123'] });
  });

  it('names a word said twice once, in reading order, so the evidence shows four different words', async () => {
    const text = '@USAirways had to wait over 30 min for my bag to come out at baggage claim, then the bag was wet. bag service is a joke';
    const result = await run(text);
    const words = text.toLowerCase().match(/[a-z0-9]+/g)!;
    for (const reason of result.reasons.filter((candidate) => candidate.decision === 'issue' || candidate.decision === 'category')) {
      expect(new Set(reason.evidence).size, reason.rule).toBe(reason.evidence.length);
      expect(reason.evidence.length, reason.rule).toBe(4);
      // Each a word of the post, in the order the post first says them.
      const positions = reason.evidence.map((word) => words.indexOf(word.replace(/^not /, '')));
      expect(positions.every((position) => position >= 0), reason.rule).toBe(true);
      expect(positions, reason.rule).toEqual([...positions].sort((a, b) => a - b));
    }
    const category = result.reasons.find((reason) => reason.decision === 'category')!;
    expect(category.evidence.filter((word) => word === 'bag')).toHaveLength(1);
  });

  it('makes a safety or health post an issue and P1 even when the words alone read as none', async () => {
    const result = await run('thanks to the passenger who helped when I had an allergic reaction');
    expect(result).toMatchObject({ isIssue: true, priority: 'P1' });
    expect(result.reasons).toContainEqual(expect.objectContaining({ decision: 'priority', rule: 'P1 safety or health: allergic reaction' }));
  });

  it('makes a post that names a medical need, an allergy or a child alone an issue once the model gives it a fair chance of being a complaint', () => {
    const { config } = loadConfig({});
    const fairChance = createPostClassifier(modelGiving(0.3), config.classifier);
    const slimChance = createPostClassifier(modelGiving(0.2), config.classifier);
    const need = 'still no sign of my insulin tonight';
    expect(fairChance({ text: need })).toMatchObject({ isIssue: true, priority: 'P1' });
    expect(fairChance({ text: need }).reasons).toContainEqual(expect.objectContaining({ decision: 'issue', rule: 'safety or health need "medical need" in a possible complaint (the model said 30% an issue)' }));
    expect(slimChance({ text: need })).toMatchObject({ isIssue: false, priority: 'P4' });
    expect(fairChance({ text: 'still no sign of my jacket tonight' })).toMatchObject({ isIssue: false, priority: 'P4' });
  });

  it('takes a post for an issue from the configured threshold, and names a threshold other than the default in its reasons', () => {
    const settings = loadConfig({}).config.classifier;
    expect(settings.issueThreshold).toBe(0.5);
    const text = 'the usual experience with this airline';
    const atDefault = createPostClassifier(modelGiving(0.45), settings)({ text });
    expect(atDefault).toMatchObject({ isIssue: false, priority: 'P4' });
    expect(atDefault.reasons).toContainEqual(expect.objectContaining({ decision: 'issue', rule: 'model: 55% not an issue' }));
    const eager = createPostClassifier(modelGiving(0.45), { ...settings, issueThreshold: 0.4 })({ text });
    expect(eager).toMatchObject({ isIssue: true, category: 'delay', priority: 'P3' });
    expect(eager.reasons).toContainEqual(expect.objectContaining({ decision: 'issue', rule: 'model: 45% an issue (an issue from 40%)' }));
    const wary = createPostClassifier(modelGiving(0.55), { ...settings, issueThreshold: 0.6 })({ text });
    expect(wary).toMatchObject({ isIssue: false, priority: 'P4' });
    expect(wary.reasons).toContainEqual(expect.objectContaining({ decision: 'issue', rule: 'model: 45% not an issue (an issue from 60%)' }));
    // Below the safety override floor too: the threshold still decides.
    const lowest = createPostClassifier(modelGiving(0.04), { ...settings, issueThreshold: 0.03 })({ text });
    expect(lowest).toMatchObject({ isIssue: true, category: 'delay' });
    expect(lowest.reasons).toContainEqual(expect.objectContaining({ decision: 'issue', rule: 'model: 4% an issue (an issue from 3%)' }));
    for (const issueThreshold of [0, 1, Number.NaN]) {
      expect(() => createPostClassifier(modelGiving(0.5), { ...settings, issueThreshold })).toThrow(RangeError);
    }
  });

  it('takes for an issue at a lower threshold every post it takes at a higher one, and never changes an issue\'s category or priority', () => {
    const settings = loadConfig({}).config.classifier;
    const model = loadEmbeddedModel();
    const at = (issueThreshold: number) => createPostClassifier(model, { ...settings, issueThreshold });
    const phrases = ['delayed 3 hours', 'thanks', 'my bag', 'is flight 12 on time?', 'the meal', 'cancelled', 'rude agent', 'great crew', 'not happy', 'insulin', 'lol', 'again', '#fail', ':)'];
    const text = fc.oneof(fc.string({ maxLength: 120 }), fc.array(fc.constantFrom(...phrases), { minLength: 1, maxLength: 6 }).map((words) => words.join(' ')));
    const threshold = fc.double({ min: 0.05, max: 0.95, noNaN: true });
    fc.assert(
      fc.property(text, threshold, threshold, (post, first, second) => {
        const [lower, higher] = first <= second ? [first, second] : [second, first];
        const eager = at(lower)({ text: post });
        const wary = at(higher)({ text: post });
        if (wary.isIssue) expect(eager).toMatchObject({ isIssue: true, category: wary.category, priority: wary.priority, entities: wary.entities });
        if (!eager.isIssue) expect(wary.isIssue).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('marks a post in a language it does not cover as an issue for a person to triage, with the language in its reasons', async () => {
    const result = await run('Mi vuelo está retrasado y nadie nos dice nada');
    expect(result).toMatchObject({ isIssue: true, language: 'es' });
    expect(result.reasons).toContainEqual(expect.objectContaining({ decision: 'issue', rule: 'language "es" is not covered by the model: a person triages it' }));
  });

  it('sends a short disruption in another language to triage instead of reading it as English', async () => {
    const result = await run('@SkyLark Flug gestrichen, keine Info');
    expect(result).toMatchObject({ isIssue: true, language: 'de' });
    expect(result.reasons).toContainEqual(expect.objectContaining({ decision: 'issue', rule: 'language "de" is not covered by the model: a person triages it' }));
  });

  it('classifies a post in a covered language with the model, whatever else it covers', async () => {
    const { config } = loadConfig({});
    const classify = createPostClassifier(loadEmbeddedModel(), { ...config.classifier, coveredLanguages: ['en', 'es'] });
    expect(classify({ text: 'Mi vuelo está retrasado y nadie nos dice nada', languageHint: 'es' }).language).toBe('es');
  });

  it('applies the configured priority policy: a shorter severe delay and extra safety terms', async () => {
    const { config } = loadConfig({});
    const classify = createPostClassifier(loadEmbeddedModel(), {
      ...config.classifier,
      priority: { severeDelayMinutes: 60, safetyTerms: ['service dog'], severeDisruptionTerms: [] },
    });
    expect(classify({ text: 'flight delayed 90 minutes, still at the gate' }).priority).toBe('P2');
    expect(classify({ text: 'delayed again and my service dog has had no water' }).priority).toBe('P1');
  });

  it('counts a wait stated as "since 6am" against the time the post was written', async () => {
    const result = await run('stuck at the gate since 6am, flight delayed with no updates', { createdAt: '2026-11-22T10:30:00-05:00' });
    expect(result.entities.delayMinutes).toBe(270);
    expect(result.priority).toBe('P2');
  });

  it('reads a "since 6am" on the configured zone\'s clock when the platform dates the post in UTC, and not at all without a zone', () => {
    const text = 'stuck at the gate since 6am, flight delayed with no updates';
    const postedAt = '2026-11-22T15:30:00Z'; // 09:30 in Chicago
    const withZone = createPostClassifier(loadEmbeddedModel(), { ...loadConfig({}).config.classifier, timeZone: 'America/Chicago' });
    expect(withZone({ text, createdAt: postedAt }).entities.delayMinutes).toBe(210);
    const withoutZone = createPostClassifier(loadEmbeddedModel(), loadConfig({}).config.classifier);
    expect(withoutZone({ text, createdAt: postedAt }).entities.delayMinutes).toBeNull();
  });

  it('classifies a batch in order, one classification per post', async () => {
    const texts = ['my bag is lost', 'thanks for a lovely flight', 'flight cancelled, no hotel offered'];
    const results = await classifier.classify(texts.map((text) => ({ text })));
    expect(results.map((result) => result.category)).toEqual(['baggage', 'not_issue', 'cancellation']);
  });

  it('always returns a classification the contract accepts, whatever the text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 400 }), fc.string({ unit: 'grapheme', maxLength: 100 }), async (ascii, unicode) => {
        for (const text of [ascii, unicode]) {
          const result = await run(text);
          expect(Classification.safeParse(result).success).toBe(true);
          expect(result.isIssue).toBe(result.category !== 'not_issue');
          expect(result.priority === 'P4').toBe(!result.isIssue);
          expect(result.confidence).toBeGreaterThanOrEqual(0);
          expect(result.confidence).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 1000) },
    );
  });
});
