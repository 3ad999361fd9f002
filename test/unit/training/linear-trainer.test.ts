import { describe, expect, it } from 'vitest';
import { createPostClassifier } from '#domain/classification/classify';
import { encodeModel } from '#domain/classification/linear-model';
import { DEFAULT_PRIORITY_POLICY } from '#domain/classification/priority';
import { trainClassifierModel, type TrainingExample } from '../../../training/linear-trainer.ts';
import { CATEGORIES } from '../../../training/metrics.ts';

const EXAMPLES: TrainingExample[] = [
  ...['flight delayed two hours', 'still waiting at the gate, delayed again', 'so late, delayed forever', 'the delay is ridiculous'].map((text) => ({ text, category: 'delay' as const, priority: 'P3' as const })),
  ...['flight cancelled last minute', 'they cancelled my flight', 'cancellation with no notice', 'cancelled again!'].map((text) => ({ text, category: 'cancellation' as const, priority: 'P3' as const })),
  ...['the meal was cold', 'food was inedible', 'no vegetarian meal loaded', 'stale sandwich for dinner'].map((text) => ({ text, category: 'meal' as const, priority: 'P3' as const })),
  ...['lost my bag', 'luggage never arrived', 'suitcase damaged', 'where is my bag'].map((text) => ({ text, category: 'baggage' as const, priority: 'P3' as const })),
  ...['rude agent at the desk', 'on hold forever', 'worst customer service', 'charged twice for my seat'].map((text) => ({ text, category: 'other_complaint' as const, priority: 'P3' as const })),
  ...['lovely crew thanks', 'great flight today', 'is my flight on time?', 'beautiful views from the window'].map((text) => ({ text, category: 'not_issue' as const, priority: 'P4' as const })),
];
const OPTIONS = { buckets: 1 << 12, epochs: 30, learningRate: 0.5, l2: 1e-5, safetyL2: 1e-5, seed: 7, runs: 1 };

describe('training the linear model', () => {
  it('writes the same bytes for the same corpus and settings', () => {
    expect(encodeModel(trainClassifierModel(EXAMPLES, OPTIONS))).toEqual(encodeModel(trainClassifierModel(EXAMPLES, OPTIONS)));
  });

  it('averages several runs, each visiting the examples in its own order, into one model, the same bytes each time', () => {
    const averaged = encodeModel(trainClassifierModel(EXAMPLES, { ...OPTIONS, runs: 3 }));
    expect(averaged).toEqual(encodeModel(trainClassifierModel(EXAMPLES, { ...OPTIONS, runs: 3 })));
    expect(averaged).not.toEqual(encodeModel(trainClassifierModel(EXAMPLES, OPTIONS)));
  });

  it('writes different bytes for another seed (the visiting order is all that is random)', () => {
    expect(encodeModel(trainClassifierModel(EXAMPLES, OPTIONS))).not.toEqual(encodeModel(trainClassifierModel(EXAMPLES, { ...OPTIONS, seed: 8 })));
  });

  it('learns to tell a safety or health risk from the other priorities in its second head', () => {
    const safety = [
      ...['my son had an allergic reaction to the snack', 'the cart hit my knee and it is bleeding', 'drunk man groped me in row 20', 'smoke in the cabin and crew ignored it'].map((text) => ({ text, category: 'other_complaint' as const, priority: 'P1' as const })),
    ];
    const model = trainClassifierModel([...EXAMPLES, ...safety], OPTIONS);
    const classify = createPostClassifier(model, { coveredLanguages: ['en'], priority: DEFAULT_PRIORITY_POLICY });
    expect(safety.every((example) => classify({ text: example.text }).priority === 'P1')).toBe(true);
    expect(EXAMPLES.filter((example) => classify({ text: example.text }).priority === 'P1')).toEqual([]);
  });

  it('learns its examples, so the classifier built on it reads them back', () => {
    const model = trainClassifierModel(EXAMPLES, OPTIONS);
    const classify = createPostClassifier(model, { coveredLanguages: ['en'], priority: DEFAULT_PRIORITY_POLICY });
    const correct = EXAMPLES.filter((example) => classify({ text: example.text }).category === example.category).length;
    expect(correct).toBe(EXAMPLES.length);
  });

  it('records what it was trained on and with which settings', () => {
    const model = trainClassifierModel(EXAMPLES, { ...OPTIONS, training: { corpusSha256: 'abc' } });
    expect(model.training).toMatchObject({ examples: EXAMPLES.length, buckets: 1 << 12, epochs: 30, l2: 1e-5, safetyL2: 1e-5, seed: 7, runs: 1, corpusSha256: 'abc' });
    expect(model.category.header).toMatchObject({ labels: [...CATEGORIES], buckets: 1 << 12 });
    expect(model.category.weights).toHaveLength((1 << 12) * CATEGORIES.length);
    expect(model.safety.header.labels).toEqual(['safety', 'none']);
    expect(model.safety.weights).toHaveLength((1 << 12) * 2);
  });

  it('refuses an example whose category the model does not learn', () => {
    expect(() => trainClassifierModel([{ text: 'x', category: 'refund' as 'delay', priority: 'P3' }], OPTIONS)).toThrow(/not one the model learns/);
  });
});
