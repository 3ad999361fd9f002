import { describe, expect, it } from 'vitest';
import type { Category } from '#contracts/classification';
import { evaluate, scores, type LabelledPrediction } from '../../../training/metrics.ts';

const prediction = (expected: Category, predicted: Category, extra: Partial<LabelledPrediction> = {}): LabelledPrediction => ({
  expected,
  predicted,
  predictedIssue: predicted !== 'not_issue',
  critical: false,
  predictedP1: false,
  ...extra,
});

describe('evaluation figures', () => {
  it('computes precision, recall and F1 from counts, 0 where nothing divides', () => {
    expect(scores(8, 2, 2)).toEqual({ precision: 0.8, recall: 0.8, f1: expect.closeTo(0.8, 12), support: 10 });
    expect(scores(0, 0, 0)).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
  });

  it('scores issue against not, per category, macro-F1 over the six and the confusion matrix', () => {
    const figures = evaluate([
      prediction('delay', 'delay'),
      prediction('delay', 'other_complaint'),
      prediction('meal', 'meal'),
      prediction('not_issue', 'not_issue'),
      prediction('not_issue', 'delay'),
      prediction('baggage', 'not_issue'),
    ]);
    expect(figures.posts).toBe(6);
    // Issues: delay, delay, meal, baggage; predicted issues: delay, other, meal, delay(fp).
    expect(figures.issue).toMatchObject({ precision: 0.75, recall: 0.75, support: 4 });
    expect(figures.categories.delay).toMatchObject({ precision: 0.5, recall: 0.5, support: 2 });
    expect(figures.categories.meal).toMatchObject({ precision: 1, recall: 1, f1: 1 });
    expect(figures.categories.cancellation).toMatchObject({ f1: 0, support: 0 });
    expect(figures.confusion.delay.other_complaint).toBe(1);
    expect(figures.confusion.baggage.not_issue).toBe(1);
    const f1s = Object.values(figures.categories).map((category) => category.f1);
    expect(figures.macroF1).toBeCloseTo(f1s.reduce((sum, value) => sum + value, 0) / 6, 12);
    expect(figures.accuracy).toBeCloseTo(3 / 6, 12);
  });

  it('counts an issue in any category as an issue: a post sent to triage is not a miss', () => {
    const figures = evaluate([prediction('delay', 'other_complaint')]);
    expect(figures.issue).toMatchObject({ precision: 1, recall: 1 });
  });

  it('measures P1 recall on the posts marked critical only', () => {
    const figures = evaluate([
      prediction('meal', 'meal', { critical: true, predictedP1: true }),
      prediction('other_complaint', 'other_complaint', { critical: true, predictedP1: false }),
      prediction('delay', 'delay', { predictedP1: true }),
    ]);
    expect(figures).toMatchObject({ p1RecallOnCritical: 0.5, criticalPosts: 2 });
    expect(evaluate([prediction('delay', 'delay')]).p1RecallOnCritical).toBeNull();
  });
});
