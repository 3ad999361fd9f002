import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Classification } from '#contracts/classification';
import { classify } from '#domain/classification/classify';

const run = (text: string) => classify(text, { coveredLanguages: ['en'] });

describe('the rule classifier', () => {
  it.each([
    ['@airline flight UA123 delayed 4 hours and still waiting #fail', 'delay', 'P2'],
    ['Thanks for the 5 hour delay, really appreciate it', 'delay', 'P2'],
    ['our flight got cancelled and no rebooking offered', 'cancellation', 'P2'],
    ['Flight was cancelled, rebooked on the evening one', 'cancellation', 'P3'],
    ['missed my connection in Frankfurt because of you', 'delay', 'P2'],
    ['My bag never arrived in Lisbon', 'baggage', 'P3'],
    ['The vegetarian meal was cold and stale', 'meal', 'P3'],
    ['I got food poisoning from the chicken on board', 'meal', 'P1'],
    ['severe allergic reaction to the snack, crew had no epipen', 'meal', 'P1'],
    ['My daughter was seated away from me on flight BA12', 'other_complaint', 'P1'],
    ['They lost my insulin with my luggage', 'baggage', 'P1'],
    ['The gate agent was rude and unhelpful', 'other_complaint', 'P3'],
  ] as const)('reads "%s" as %s, %s', (text, category, priority) => {
    const result = run(text);
    expect(result).toMatchObject({ isIssue: true, category, priority });
  });

  it.each([
    'Loved the meal on BA 2490, thank you!',
    'Is flight DL45 on time today?',
    'Great crew, smooth landing in Denver',
    'Just landed in Tokyo',
  ])('reads "%s" as no issue (P4)', (text) => {
    expect(run(text)).toMatchObject({ isIssue: false, category: 'not_issue', priority: 'P4' });
  });

  it('says which words drove each decision', () => {
    const result = run('Flight UA123 delayed 4 hours and still waiting #fail');
    expect(result.reasons).toEqual(
      expect.arrayContaining([
        { decision: 'category', rule: 'keyword: delayed', evidence: ['delayed'] },
        { decision: 'priority', rule: 'P2 severe disruption: delay of 3 hours or more', evidence: ['240 minutes'] },
      ]),
    );
  });

  it('finds flight numbers and stated waits', () => {
    expect(run('flight ua 988 sat 2hrs at the gate, then BA2490 45 min more').entities).toEqual({
      flightNumbers: ['BA2490', 'UA988'],
      airports: [],
      bookingRefs: [],
      delayMinutes: 120,
    });
  });

  it('reads HTML entities as X sends them, elongated words and caps', () => {
    expect(run('DELAYYYYY again &amp; no update, sooooo late').category).toBe('delay');
  });

  it('marks a post in a language it does not cover as an issue for a person to triage, with the language in its reasons', () => {
    const result = run('Mi vuelo está retrasado y nadie nos dice nada');
    expect(result).toMatchObject({ isIssue: true, language: 'es' });
    expect(result.reasons).toContainEqual(expect.objectContaining({ decision: 'issue', rule: 'language "es" is not covered: a person triages it' }));
  });

  it('recognises text in another script as another language', () => {
    expect(run('航班延误了三个小时').language).toBe('zh');
  });

  it('always returns a classification the contract accepts, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.string({ unit: 'grapheme', maxLength: 100 }), (ascii, unicode) => {
        for (const text of [ascii, unicode]) {
          const result = run(text);
          expect(Classification.safeParse(result).success).toBe(true);
          expect(result.isIssue).toBe(result.category !== 'not_issue');
          expect(result.priority === 'P4').toBe(!result.isIssue);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
