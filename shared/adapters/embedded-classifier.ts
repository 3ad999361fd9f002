import { readFileSync } from 'node:fs';
import type { Classification } from '#contracts/classification';
import { createPostClassifier, type ClassifierSettings } from '#domain/classification/classify';
import { languageDetectorLoaded, loadLanguageDetector, needsDetector } from '#domain/classification/language';
import { decodeModel, type ClassifierModel } from '#domain/classification/linear-model';
import type { Classifier, PostToClassify } from '#domain/ports';

/**
 * The model file, beside this module in the source tree and beside index.mjs in a function's
 * bundle (infra/bundling.ts copies it there): binary weights are read, not parsed as code, so
 * they add nothing to the bundle's compile time. `npm run train` writes it.
 */
export const MODEL_FILE = new URL('./classifier-model.bin', import.meta.url);

/** Reads and checks the shipped model; once per cold start. */
export function loadEmbeddedModel(file: URL | string = MODEL_FILE): ClassifierModel {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new Error(`cannot read the classifier model at ${String(file)}: ${(error as Error).message}; run npm run train`);
  }
  return decodeModel(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
}

/**
 * The embedded classifier: no network, nothing downloaded, the model loaded once. The language
 * detector is loaded the first time a post needs it (shared/domain/classification/language.ts).
 */
export function embeddedClassifier(settings: ClassifierSettings, model: ClassifierModel = loadEmbeddedModel()): Classifier {
  const classify = createPostClassifier(model, settings);
  return {
    async classify(posts: readonly PostToClassify[]): Promise<Classification[]> {
      if (!languageDetectorLoaded() && posts.some((post) => needsDetector(post.text))) await loadLanguageDetector();
      return posts.map(classify);
    },
  };
}
