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
 * off (bench/probes/classify.mjs):
 * - Node 20: a process's first post 51.8 ms against 13.6 ms (medians of 16 each), its first
 *   1,000-post batch 131 ms against 92 ms (6 each), the steady rate the same (27.7k posts/s);
 * - Node 22, Lambda's: first post 36.9 ms against 9.4 ms (12 each), first batch 121 ms against
 *   84 ms, but the steady rate 8-11% lower (31.4k against 28.5k posts/s), which timing the parts
 *   one by one did not reproduce. A cold start's first posts are what a platform waits on; the
 *   steady rate stays above the 20,000 posts/s target either way.
 * V8 reads the flag when it compiles a pattern, so setting it here, before the first post, covers
 * every pattern the classifier runs; a pattern run before it tiers up as before on its next run.
 * Node calls a flag changed after start V8's undefined behaviour, and it is one way only: turning
 * tier-up back on once patterns were compiled without it crashed node 20 and 22 (segmentation
 * fault). test/unit/adapters/embedded-classifier.test.ts checks the way this goes in a process of
 * its own.
 */
let regExpFlagSet = false;
function compileRegExpsToMachineCode(): void {
  if (regExpFlagSet) return;
  setFlagsFromString('--no-regexp-tier-up');
  regExpFlagSet = true;
}
