import type { Category, Priority } from '#contracts/classification';
import { CATEGORY_LABELS, featureWeight, SAFETY_LABELS, type ClassifierModel, type LinearModel } from '#domain/classification/linear-model';
import { extractFeatures, normalizeForModel, tokenize } from '#domain/classification/text-features';
import { mulberry32 } from './seeded-random.ts';
import { withToneSubstitutes } from './tone-substitutes.ts';

export interface TrainingExample {
  text: string;
  category: Category;
  priority: Priority;
}

export interface TrainingOptions {
  /** A power of two. */
  buckets: number;
  epochs: number;
  learningRate: number;
  /** L2 penalty on the weights a step touches, in the category head. */
  l2: number;
  /**
   * The same for the safety head. It learns from few posts (P1 is about one in twenty), and a
   * penalty that keeps the category head from leaning on the corpus's quirks starves it.
   */
  safetyL2: number;
  /** Seeds the order examples are visited in each epoch: same seed, same model, same bytes. */
  seed: number;
  /**
   * How many runs (seeds seed, seed+1, ...) are averaged into the model. One run's weights hang on
   * the order it happened to visit the posts in; the average of a few does not, so a retrain moves
   * the figures for what changed rather than for the shuffle.
   */
  runs: number;
  /**
   * Copies of each example that uses a listed tone word, with those words swapped for others of
   * the same list (training/tone-substitutes.ts); 0 or absent for none.
   */
  toneSubstitutes?: number;
  training?: Record<string, unknown>;
}

export const DEFAULT_TRAINING: TrainingOptions = {
  buckets: 1 << 17,
  epochs: 5,
  learningRate: 0.5,
  l2: 1e-3,
  safetyL2: 1e-4,
  seed: 20_261_123,
  runs: 5,
  toneSubstitutes: 1,
};

/** A text's hashed features, copied out of the extractor's scratch space. */
export function featuresOf(text: string, buckets: number): Uint32Array {
  const features = extractFeatures(tokenize(normalizeForModel(text)), buckets);
  return features.buckets.slice(0, features.length);
}

/**
 * Both heads of the classifier's model: the category head learns the six categories, the safety
 * head learns P1 (a safety or health risk) against every other priority. Same features, same
 * settings, trained one after the other.
 */
export function trainClassifierModel(corpus: readonly TrainingExample[], options: TrainingOptions): ClassifierModel {
  const examples = withToneSubstitutes(corpus, options.toneSubstitutes ?? 0, options.seed);
  const features = examples.map((example) => featuresOf(example.text, options.buckets));
  const category = trainLinearModel(
    features,
    examples.map((example) => example.category),
    CATEGORY_LABELS,
    options,
  );
  const safety = trainLinearModel(
    features,
    examples.map((example) => (example.priority === 'P1' ? 'safety' : 'none')),
    SAFETY_LABELS,
    { ...options, l2: options.safetyL2 },
  );
  return {
    category,
    safety,
    training: {
      examples: corpus.length,
      toneSubstitutes: options.toneSubstitutes ?? 0,
      substituteExamples: examples.length - corpus.length,
      buckets: options.buckets,
      epochs: options.epochs,
      learningRate: options.learningRate,
      l2: options.l2,
      safetyL2: options.safetyL2,
      seed: options.seed,
      runs: options.runs,
      ...options.training,
    },
  };
}

/**
 * Multinomial logistic regression over hashed features, trained with AdaGrad (a step size per
 * weight, so rare words learn as fast as common ones) and a lazy L2 penalty, then quantised to
 * one signed byte per weight. Deterministic: the only randomness is the seeded visiting order.
 */
export function trainLinearModel(features: readonly Uint32Array[], targets: readonly string[], labels: readonly string[], options: TrainingOptions): LinearModel {
  const runs = Math.max(1, options.runs);
  const weights = new Float64Array(options.buckets * labels.length);
  const bias = new Float64Array(labels.length);
  for (let run = 0; run < runs; run++) {
    const trained = trainRun(features, targets, labels, { ...options, seed: options.seed + run });
    for (let index = 0; index < weights.length; index++) weights[index] = weights[index]! + trained.weights[index]! / runs;
    for (let index = 0; index < bias.length; index++) bias[index] = bias[index]! + trained.bias[index]! / runs;
  }
  return quantise(weights, bias, labels, options.buckets);
}

/** One run of AdaGrad over the examples, in the order its seed shuffles them; weights as floats. */
function trainRun(features: readonly Uint32Array[], targets: readonly string[], labels: readonly string[], options: TrainingOptions) {
  const classes = labels.length;
  const labelOf = new Map(labels.map((label, index) => [label, index]));
  const data = features.map((example, index) => {
    const label = labelOf.get(targets[index]!);
    if (label === undefined) throw new Error(`label ${targets[index]} is not one the model learns (${labels.join(', ')})`);
    return { features: example, label };
  });
  const weights = new Float64Array(options.buckets * classes);
  const squares = new Float64Array(options.buckets * classes);
  const bias = new Float64Array(classes);
  const biasSquares = new Float64Array(classes);
  const order = data.map((_, index) => index);
  const random = mulberry32(options.seed);
  const logits = new Float64Array(classes);

  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffle(order, random);
    for (const index of order) {
      const { features, label } = data[index]!;
      const weight = featureWeight(features);
      logits.set(bias);
      for (const bucket of features) {
        for (let category = 0; category < classes; category++) logits[category] = logits[category]! + weights[bucket * classes + category]! * weight;
      }
      softmaxInPlace(logits);
      for (let category = 0; category < classes; category++) {
        const gradient = logits[category]! - (category === label ? 1 : 0);
        biasSquares[category] = biasSquares[category]! + gradient * gradient;
        bias[category] = bias[category]! - ((options.learningRate * gradient) / Math.sqrt(biasSquares[category]! + 1e-8));
        for (const bucket of features) {
          const at = bucket * classes + category;
          const step = gradient * weight + options.l2 * weights[at]!;
          squares[at] = squares[at]! + step * step;
          weights[at] = weights[at]! - ((options.learningRate * step) / Math.sqrt(squares[at]! + 1e-8));
        }
      }
    }
  }

  return { weights, bias };
}

/** One signed byte per weight, with one scale for the head. */
function quantise(weights: Float64Array, bias: Float64Array, labels: readonly string[], buckets: number): LinearModel {
  let largest = 0;
  for (const value of weights) largest = Math.max(largest, Math.abs(value));
  const scale = largest === 0 ? 1 : largest / 127;
  const quantised = new Int8Array(weights.length);
  for (let index = 0; index < weights.length; index++) quantised[index] = Math.round(weights[index]! / scale);
  return {
    header: {
      labels: [...labels],
      buckets,
      scale: Number(scale.toPrecision(9)),
      bias: [...bias].map((value) => Number(value.toPrecision(9))),
    },
    weights: quantised,
  };
}

function softmaxInPlace(values: Float64Array): void {
  let max = -Infinity;
  for (const value of values) max = Math.max(max, value);
  let total = 0;
  for (let index = 0; index < values.length; index++) {
    values[index] = Math.exp(values[index]! - max);
    total += values[index]!;
  }
  for (let index = 0; index < values.length; index++) values[index] = values[index]! / total;
}

function shuffle(values: number[], random: () => number): void {
  for (let index = values.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [values[index], values[other]] = [values[other]!, values[index]!];
  }
}
