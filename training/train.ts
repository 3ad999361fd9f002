/**
 * `npm run train`: trains the classifier on the project's own corpus (training/corpus/) and
 * writes shared/adapters/classifier-model.bin. Same corpus, same bytes: the only randomness is
 * the seeded order examples are visited in. `npm run train -- --folds 5` first prints k-fold
 * cross-validation on the corpus itself, to compare settings without touching the evaluation set.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { MODEL_FILE } from '#adapters/embedded-classifier';
import { encodeModel } from '#domain/classification/linear-model';
import { readCorpus, type CorpusPost } from './corpus.ts';
import { DEFAULT_TRAINING, trainClassifierModel, type TrainingOptions } from './linear-trainer.ts';
import { CATEGORIES, evaluate } from './metrics.ts';
import { createPostClassifier } from '#domain/classification/classify';
import { loadConfig } from '#config/load-config';

const { values } = parseArgs({
  options: {
    folds: { type: 'string' },
    buckets: { type: 'string' },
    epochs: { type: 'string' },
    'learning-rate': { type: 'string' },
    l2: { type: 'string' },
    'safety-l2': { type: 'string' },
    runs: { type: 'string' },
    out: { type: 'string' },
  },
});
const options: TrainingOptions = {
  ...DEFAULT_TRAINING,
  ...(values.buckets ? { buckets: 1 << Number(values.buckets) } : {}),
  ...(values.epochs ? { epochs: Number(values.epochs) } : {}),
  ...(values['learning-rate'] ? { learningRate: Number(values['learning-rate']) } : {}),
  ...(values.l2 ? { l2: Number(values.l2) } : {}),
  ...(values['safety-l2'] ? { safetyL2: Number(values['safety-l2']) } : {}),
  ...(values.runs ? { runs: Number(values.runs) } : {}),
};
const corpus = readCorpus();
console.log(`corpus: ${corpus.posts.length} posts in ${corpus.files.length} files (sha256 ${corpus.digest.slice(0, 12)})`);
const counts = Object.fromEntries(CATEGORIES.map((category) => [category, corpus.posts.filter((post) => post.category === category).length]));
console.log(`  ${Object.entries(counts).map(([category, count]) => `${category} ${count}`).join(', ')}`);

if (values.folds) crossValidate(corpus.posts, Number(values.folds));

const started = performance.now();
const model = trainClassifierModel(corpus.posts, { ...options, training: { corpusSha256: corpus.digest } });
const bytes = encodeModel(model);
const out = values.out ? path.resolve(values.out) : fileURLToPath(MODEL_FILE);
writeFileSync(out, bytes);
console.log(
  `trained in ${((performance.now() - started) / 1000).toFixed(1)} s: ${options.buckets} buckets × (${CATEGORIES.length} categories + safety), ` +
    `${options.epochs} epochs, ${options.runs} run${options.runs === 1 ? '' : 's'} averaged; wrote ${path.relative(process.cwd(), out)} (${(bytes.length / 1024).toFixed(0)} KiB, sha256 ${createHash('sha256').update(bytes).digest('hex').slice(0, 12)})`,
);

/** k folds, each post in exactly one test fold (assigned by a hash of its id, so folds are stable). */
function crossValidate(posts: readonly CorpusPost[], folds: number): void {
  const { config } = loadConfig({});
  const predictions = [];
  for (let fold = 0; fold < folds; fold++) {
    const inFold = (post: CorpusPost) => createHash('sha256').update(post.id).digest()[0]! % folds === fold;
    const model = trainClassifierModel(posts.filter((post) => !inFold(post)), options);
    const classify = createPostClassifier(model, config.classifier);
    for (const post of posts.filter(inFold)) {
      const result = classify({ text: post.text });
      predictions.push({ expected: post.category, predicted: result.category, predictedIssue: result.isIssue, critical: post.priority === 'P1', predictedP1: result.priority === 'P1' });
    }
  }
  const figures = evaluate(predictions);
  const f = (value: number) => value.toFixed(3);
  console.log(`${folds}-fold cross-validation on the corpus: issue F1 ${f(figures.issue.f1)}, macro-F1 ${f(figures.macroF1)}, P1 recall ${f(figures.p1RecallOnCritical ?? 0)}`);
  console.log(`  ${CATEGORIES.map((category) => `${category} ${f(figures.categories[category].f1)}`).join(', ')}`);
}
