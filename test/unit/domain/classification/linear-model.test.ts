import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, ModelFormatError, predict, tokenContributions, type ClassifierModel, type LinearModel } from '#domain/classification/linear-model';
import { extractFeatures, normalizeForModel, tokenize } from '#domain/classification/text-features';

const CATEGORIES = ['delay', 'cancellation', 'meal', 'baggage', 'other_complaint', 'not_issue'] as const;

function tinyModel(): LinearModel {
  const buckets = 16;
  const weights = new Int8Array(buckets * CATEGORIES.length);
  for (let index = 0; index < weights.length; index++) weights[index] = ((index * 37) % 255) - 127;
  return { header: { labels: [...CATEGORIES], buckets, scale: 0.01, bias: [0, 0, 0, 0, 0, 0.5] }, weights };
}

function tinyClassifierModel(): ClassifierModel {
  const safety = new Int8Array(16 * 2).map((_, index) => (index % 2 ? 5 : -5));
  return { category: tinyModel(), safety: { header: { labels: ['safety', 'none'], buckets: 16, scale: 0.02, bias: [-1, 1] }, weights: safety }, training: { note: 'test' } };
}

const featuresOf = (text: string, buckets: number) => {
  const tokens = tokenize(normalizeForModel(text));
  const features = extractFeatures(tokens, buckets);
  const { length } = features;
  return { tokens, features: { buckets: features.buckets.slice(0, length), tokens: features.tokens.slice(0, length), pairs: features.pairs.slice(0, length), length } };
};

describe('the linear model file', () => {
  it('reads back exactly what was written, both heads', () => {
    const model = tinyClassifierModel();
    const decoded = decodeModel(encodeModel(model));
    expect(decoded.training).toEqual(model.training);
    for (const head of ['category', 'safety'] as const) {
      expect(decoded[head].header).toEqual(model[head].header);
      expect([...decoded[head].weights]).toEqual([...model[head].weights]);
    }
  });

  it('refuses heads with different bucket counts: they read the same features', () => {
    const model = tinyClassifierModel();
    const safety = { header: { ...model.safety.header, buckets: 8 }, weights: new Int8Array(16) };
    expect(() => decodeModel(encodeModel({ ...model, safety }))).toThrow(/share one power-of-two bucket count/);
  });

  it('refuses a file that is not a model, with what to do about it', () => {
    expect(() => decodeModel(new TextEncoder().encode('{"not":"a model"}'))).toThrow(ModelFormatError);
    expect(() => decodeModel(new TextEncoder().encode('{"not":"a model"}'))).toThrow(/npm run train/);
  });

  it('refuses a truncated file rather than reading weights that are not there', () => {
    const bytes = encodeModel(tinyClassifierModel());
    expect(() => decodeModel(bytes.subarray(0, bytes.length - 1))).toThrow(/header promises/);
  });

  it('refuses a model of another format version', () => {
    const bytes = encodeModel(tinyClassifierModel());
    const text = new TextDecoder().decode(bytes).replace('"version":2', '"version":9');
    expect(() => decodeModel(new TextEncoder().encode(text))).toThrow(/unsupported model format/);
  });
});

describe('scoring with the model', () => {
  it('gives a probability per category that sums to one', () => {
    const model = tinyModel();
    const { features } = featuresOf('my flight is delayed again', model.header.buckets);
    const probabilities = predict(model, features);
    expect(probabilities).toHaveLength(CATEGORIES.length);
    expect([...probabilities].reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 12);
  });

  it('falls back to the biases for a text without features', () => {
    const model = tinyModel();
    const probabilities = predict(model, { buckets: new Uint32Array(0), tokens: new Int32Array(0), pairs: new Uint8Array(0), length: 0 });
    expect(probabilities.indexOf(Math.max(...probabilities))).toBe(CATEGORIES.indexOf('not_issue'));
  });

  it("attributes each feature's pull to the token it came from, and the pulls add up to the difference of scores", () => {
    const model = tinyModel();
    const { tokens, features } = featuresOf('delayed three hours', model.header.buckets);
    const contributions = tokenContributions(model, features, tokens.length, 0, 5);
    const probabilities = predict(model, features);
    const logDifference = Math.log(probabilities[0]! / probabilities[5]!) - (model.header.bias[0]! - model.header.bias[5]!);
    expect([...contributions].reduce((sum, value) => sum + value, 0)).toBeCloseTo(logDifference, 9);
  });

  it('shares a bigram\'s pull equally between its two words, so "a joke" is not evidence of "a" alone', () => {
    const model = tinyModel();
    const single = { buckets: Uint32Array.of(3), tokens: Int32Array.of(0), length: 1 };
    const asWord = tokenContributions(model, { ...single, pairs: Uint8Array.of(0) }, 2, 4, 5);
    const asPair = tokenContributions(model, { ...single, pairs: Uint8Array.of(1) }, 2, 4, 5);
    expect(asWord[0]).not.toBe(0);
    expect(asWord[1]).toBe(0);
    expect(asPair[0]).toBeCloseTo(asWord[0]! / 2, 12);
    expect(asPair[1]).toBeCloseTo(asWord[0]! / 2, 12);
  });
});
