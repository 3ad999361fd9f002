import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
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
  compileRegExpsToMachineCode();
  const classify = createPostClassifier(model, settings);
  return {
    async classify(posts: readonly PostToClassify[]): Promise<Classification[]> {
      if (!languageDetectorLoaded() && posts.some((post) => needsDetector(post.text))) await loadLanguageDetector();
      return posts.map(classify);
    },
  };
}

/**
 * V8 runs a regular expression's first match in its bytecode interpreter and compiles it to
 * machine code only when it runs again ("tier-up"), which saves work for a pattern used once. The
 * classifier's patterns (priority rules, entities, tokenizer) run for every post, and for its long
 * rule patterns the bytecode is the slow path: the food-poisoning rule took about 10 ms to
 * compile to bytecode and 1.5 ms to machine code. Interleaved fresh processes, tier-up on against
 * off: a process's first post took a median 51.8 ms against 13.6 ms to classify (16 each), its
 * first 1,000-post batch 196 ms against 142 ms (6 each), and the steady rates were the same within
 * noise. V8 reads the flag each time it compiles a pattern, so setting it here, before the first
 * post, is enough; a pattern already compiled keeps its bytecode until it tiers up as before.
 */
let regExpFlagSet = false;
function compileRegExpsToMachineCode(): void {
  if (regExpFlagSet) return;
  setFlagsFromString('--no-regexp-tier-up');
  regExpFlagSet = true;
}
