import type { Category } from '#contracts/classification';
import type { Features } from './text-features.ts';

/**
 * The trained model: heads that read the same hashed features. `category` picks one of the six
 * categories (not_issue included); `safety` tells a safety or health risk (P1) from the rest, so
 * that P1 does not hang on a word list alone. Each head holds one weight per hashed feature and
 * label, quantised to a signed byte with one scale, plus a bias per label. Written by
 * training/train.ts, read here.
 *
 * File layout: "RDCL", a little-endian u32 header length, the JSON header, then each head's
 * `buckets × labels` signed bytes in header order, bucket-major (a feature's weights side by side).
 */
export interface ClassifierModel {
  category: LinearModel;
  safety: LinearModel;
  /** What it was trained on, for the record: corpus size and digest, epochs, regularisation. */
  training: Record<string, unknown>;
}

export interface LinearModel {
  header: HeadHeader;
  /** weights[bucket * labels.length + label] × header.scale. */
  weights: Int8Array;
}

export interface HeadHeader {
  labels: string[];
  buckets: number;
  scale: number;
  bias: number[];
}

interface FileHeader {
  format: 'redress-linear-model';
  version: 2;
  heads: { category: HeadHeader; safety: HeadHeader };
  training: Record<string, unknown>;
}

/** The category head's labels, in the order its weights are stored. */
export const CATEGORY_LABELS: readonly Category[] = ['delay', 'cancellation', 'meal', 'baggage', 'other_complaint', 'not_issue'];
/** The safety head's labels. */
export const SAFETY_LABELS = ['safety', 'none'] as const;

const MAGIC = 'RDCL';
const HEADS = ['category', 'safety'] as const;

export class ModelFormatError extends Error {
  override readonly name = 'ModelFormatError';
}

export function encodeModel(model: ClassifierModel): Uint8Array {
  const fileHeader: FileHeader = {
    format: 'redress-linear-model',
    version: 2,
    heads: { category: model.category.header, safety: model.safety.header },
    training: model.training,
  };
  const header = new TextEncoder().encode(JSON.stringify(fileHeader));
  const weights = HEADS.map((head) => model[head].weights);
  const bytes = new Uint8Array(8 + header.length + weights.reduce((sum, array) => sum + array.length, 0));
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(bytes.buffer).setUint32(4, header.length, true);
  bytes.set(header, 8);
  let offset = 8 + header.length;
  for (const array of weights) {
    bytes.set(new Uint8Array(array.buffer, array.byteOffset, array.length), offset);
    offset += array.length;
  }
  return bytes;
}

export function decodeModel(bytes: Uint8Array): ClassifierModel {
  if (bytes.length < 8 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) {
    throw new ModelFormatError('not a redress classifier model (no RDCL marker): regenerate it with npm run train');
  }
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.length).getUint32(4, true);
  let header: FileHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as FileHeader;
  } catch (error) {
    throw new ModelFormatError(`the model header is not JSON: ${(error as Error).message}`);
  }
  if (header.format !== 'redress-linear-model' || header.version !== 2) {
    throw new ModelFormatError(`unsupported model format ${header.format} v${header.version}: regenerate it with npm run train`);
  }
  const sizes = HEADS.map((head) => header.heads[head].buckets * header.heads[head].labels.length);
  const expected = sizes.reduce((sum, size) => sum + size, 0);
  if (bytes.length !== 8 + headerLength + expected) {
    throw new ModelFormatError(`the model holds ${bytes.length - 8 - headerLength} weights, its header promises ${expected}`);
  }
  const { category, safety } = header.heads;
  if (category.buckets !== safety.buckets || (category.buckets & (category.buckets - 1)) !== 0) {
    throw new ModelFormatError('the heads must share one power-of-two bucket count');
  }
  if (category.labels.join() !== CATEGORY_LABELS.join() || safety.labels.join() !== SAFETY_LABELS.join()) {
    throw new ModelFormatError(`unexpected labels ${category.labels.join()} / ${safety.labels.join()}: regenerate the model with npm run train`);
  }
  let offset = bytes.byteOffset + 8 + headerLength;
  const head = (spec: HeadHeader, size: number): LinearModel => {
    const weights = new Int8Array(bytes.buffer, offset, size);
    offset += size;
    return { header: spec, weights };
  };
  return { category: head(category, sizes[0]!), safety: head(safety, sizes[1]!), training: header.training };
}

/**
 * Each feature counts 1/sqrt(n) for a text with n features, so a long Facebook comment is not
 * more certain than a tweet just for being long. Training uses the same weighting.
 */
export function featureWeight(features: Pick<Features, 'length'>): number {
  return features.length === 0 ? 0 : 1 / Math.sqrt(features.length);
}

/** Probabilities per label (softmax of the scores), in `header.labels` order. */
export function predict(model: LinearModel, features: Features): Float64Array {
  const { labels, bias } = model.header;
  const scale = model.header.scale * featureWeight(features);
  const count = labels.length;
  const sums = new Float64Array(count);
  const { weights } = model;
  for (let index = 0; index < features.length; index++) {
    const offset = features.buckets[index]! * count;
    for (let category = 0; category < count; category++) sums[category] = sums[category]! + weights[offset + category]!;
  }
  let max = -Infinity;
  for (let category = 0; category < count; category++) {
    sums[category] = sums[category]! * scale + bias[category]!;
    if (sums[category]! > max) max = sums[category]!;
  }
  let total = 0;
  for (let category = 0; category < count; category++) {
    sums[category] = Math.exp(sums[category]! - max);
    total += sums[category]!;
  }
  for (let category = 0; category < count; category++) sums[category] = sums[category]! / total;
  return sums;
}

/**
 * How much each token pushed label `category` ahead of `against` (summed over its features), so a
 * decision can name the words that drove it. Indexed like the tokens.
 */
export function tokenContributions(model: LinearModel, features: Features, tokenCount: number, category: number, against: number): Float64Array {
  const count = model.header.labels.length;
  const scale = model.header.scale * featureWeight(features);
  const contributions = new Float64Array(tokenCount);
  for (let index = 0; index < features.length; index++) {
    const offset = features.buckets[index]! * count;
    const token = features.tokens[index]!;
    const contribution = (model.weights[offset + category]! - model.weights[offset + against]!) * scale;
    if (features.pairs[index] === 1) {
      // A bigram counts half for each of its two words.
      contributions[token] = contributions[token]! + contribution / 2;
      contributions[token + 1] = contributions[token + 1]! + contribution / 2;
    } else contributions[token] = contributions[token]! + contribution;
  }
  return contributions;
}
