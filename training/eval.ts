/**
 * `npm run eval`: measures the shipped classifier against the development split of the airline
 * evaluation set (../shared/data/airline-dev.jsonl; read its README: evaluation only, never
 * committed, never trained on). Prints issue-vs-not and per-category precision/recall/F1,
 * macro-F1, the confusion matrix, P1 recall on the posts marked critical, issue-vs-not precision and
 * recall at several values of `classifier.issueThreshold`, and the 20 worst errors.
 * `--json` prints the figures as JSON; `--file` evaluates another labelled JSON-lines file, such as
 * training/holdout/dev-style.jsonl: 220 posts written for the project in the styles of the dev set
 * and never trained on. Written wording is cleaner than real posts, so it scores far above the dev
 * set; it catches a change that stops the model reading new wording, not the distance to the bar.
 * training/holdout/sarcasm.jsonl (160 posts, also never trained on) measures sarcasm: 90 complaints
 * in praising words ("thanks so much for canceling my flight") and 70 sincere posts in the same words;
 * `--sample N` also prints N wrong answers drawn at random, whatever their confidence: the list to
 * audit by hand (see sampleErrors; not with --json, which prints the figures only);
 * `--record` writes the figures to training/eval-figures.json, which a test holds the
 * classifier to (record only figures that were measured, after a change that earns them).
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { embeddedClassifier, loadEmbeddedModel } from '#adapters/embedded-classifier';
import type { Category, Classification } from '#contracts/classification';
import { loadConfig } from '#config/load-config';
import { DEV_SET, readLabelledPosts, type LabelledPost } from './eval-data.ts';
import { CATEGORIES, evaluate, type EvaluationFigures, type Scores } from './metrics.ts';

export interface Evaluation {
  figures: EvaluationFigures;
  worst: Array<{ post: LabelledPost; classification: Classification; wrongBy: number }>;
  /** Wrong answers drawn at random (`--sample N`), empty unless asked for. */
  sample: Array<{ post: LabelledPost; classification: Classification }>;
  /** The `classifier.issueThreshold` the figures were measured at (the configuration's). */
  issueThreshold: number;
  /** Issue-vs-not scores with `classifier.issueThreshold` set to each of THRESHOLDS. */
  thresholds: Array<{ threshold: number; issue: Scores; issues: number }>;
  postsPerSecond: number;
}

/** The values of `classifier.issueThreshold` the evaluation also scores the issue decision at. */
export const THRESHOLDS = [0.3, 0.4, 0.5, 0.6, 0.7] as const;

/**
 * `count` of the wrong answers, each as likely as any other whatever its confidence: the posts
 * ordered by a SHA-256 of their id, so the same model draws the same sample. This is the list to
 * audit by hand. The worst errors are the wrong answers the classifier was surest of, and those
 * are where the crowd's mislabelled posts gather: audited alone, they make the labels look
 * noisier and the model better than they are.
 */
export function sampleErrors<T extends { post: { id: string; label: Category }; classification: { category: Category } }>(entries: readonly T[], count: number): T[] {
  const key = (id: string) => createHash('sha256').update(id).digest('hex');
  return entries
    .filter(isWrong)
    .map((entry) => ({ entry, key: key(entry.post.id) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, Math.max(0, count))
    .map(({ entry }) => entry);
}

/** Whether the classifier gave a post another category than its label. */
function isWrong({ post, classification }: { post: { label: Category }; classification: { category: Category } }): boolean {
  return classification.category !== post.label;
}

/** Classifies every post of `file` with the embedded classifier and scores it; `sample` wrong answers drawn at random besides. */
export async function runEvaluation(file = DEV_SET, sample = 0): Promise<Evaluation> {
  const posts = readLabelledPosts(file);
  const settings = loadConfig({}).config.classifier;
  const model = loadEmbeddedModel();
  const classifier = embeddedClassifier(settings, model);
  const toClassify = posts.map((post) => ({ text: post.text, createdAt: post.created_at }));
  const score = (results: readonly Classification[]) =>
    evaluate(
      posts.map((post, index) => {
        const result = results[index]!;
        return { expected: post.label, predicted: result.category, predictedIssue: result.isIssue, critical: post.critical === true, predictedP1: result.priority === 'P1' };
      }),
    );
  const started = performance.now();
  const results = await classifier.classify(toClassify);
  const seconds = (performance.now() - started) / 1000;
  const figures = score(results);
  const entries = posts.map((post, index) => ({ post, classification: results[index]! }));
  // The worst errors: wrong answers the classifier was surest of.
  const worst = entries
    .filter(isWrong)
    .map((entry) => ({ ...entry, wrongBy: entry.classification.confidence }))
    .sort((a, b) => b.wrongBy - a.wrongBy || a.post.id.localeCompare(b.post.id))
    .slice(0, 20);
  const thresholds = [];
  for (const threshold of THRESHOLDS) {
    // The configured threshold's answers are the ones above: the classifier is deterministic.
    const scored = threshold === settings.issueThreshold ? results : await embeddedClassifier({ ...settings, issueThreshold: threshold }, model).classify(toClassify);
    thresholds.push({ threshold, issue: score(scored).issue, issues: scored.filter((result) => result.isIssue).length });
  }
  return { figures, worst, sample: sampleErrors(entries, sample), issueThreshold: settings.issueThreshold, thresholds, postsPerSecond: posts.length / seconds };
}

export function formatEvaluation({ figures, worst, sample, issueThreshold, thresholds, postsPerSecond }: Evaluation, file: string): string {
  const f = (value: number | null) => (value === null ? '-' : value.toFixed(3));
  const row = (name: string, scores: { precision: number; recall: number; f1: number; support: number }) =>
    `  ${name.padEnd(16)} ${f(scores.precision)}      ${f(scores.recall)}   ${f(scores.f1)}  ${String(scores.support).padStart(7)}`;
  const short = (category: string) => category.replace('other_complaint', 'other').replace('cancellation', 'cancel').replace('not_issue', 'not');
  const lines = [
    `${file}: ${figures.posts} posts (${postsPerSecond.toFixed(0)} posts/s end to end, one core)`,
    '',
    '                   precision  recall  F1     support',
    row('issue vs not', figures.issue),
    ...CATEGORIES.map((category) => row(category, figures.categories[category])),
    '',
    `  macro-F1 (six categories) ${f(figures.macroF1)}   accuracy ${f(figures.accuracy)}`,
    `  P1 recall on critical posts ${f(figures.p1RecallOnCritical)} (${figures.criticalPosts} posts)`,
    '',
    `issue vs not as classifier.issueThreshold moves (the figures above are at ${issueThreshold}):`,
    '  threshold  precision  recall  F1     posts taken for issues',
    ...thresholds.map(({ threshold, issue, issues }) => `  ${threshold.toFixed(2).padEnd(10)} ${f(issue.precision)}      ${f(issue.recall)}   ${f(issue.f1)}  ${String(issues).padStart(7)}`),
    '',
    `confusion (rows: label, columns: prediction)`,
    `  ${''.padEnd(8)}${CATEGORIES.map((category) => short(category).padStart(8)).join('')}`,
    ...CATEGORIES.map((expected) => `  ${short(expected).padEnd(8)}${CATEGORIES.map((predicted) => String(figures.confusion[expected][predicted]).padStart(8)).join('')}`),
    '',
    'the 20 worst errors (wrong answers given with the most confidence):',
    ...worst.map((entry) => errorLine(entry, 110)),
    ...(sample.length === 0
      ? []
      : ['', `${sample.length} wrong answers drawn at random, whatever their confidence (the list to audit by hand):`, ...sample.map((entry) => errorLine(entry))]),
  ];
  return lines.join('\n');
}

/** A wrong answer with the text (cut to `width` characters, if given) and the reasons of its issue and category decisions. */
function errorLine({ post, classification }: { post: LabelledPost; classification: Classification }, width?: number): string {
  const text = post.text.replace(/\s+/g, ' ');
  return (
    `  ${post.id}  ${post.label} -> ${classification.category} (${classification.confidence.toFixed(2)}): ${width === undefined ? text : text.slice(0, width)}\n` +
    `      why: ${classification.reasons
      .filter((reason) => reason.decision === 'issue' || reason.decision === 'category')
      .map((reason) => `${reason.rule} [${reason.evidence.join(', ')}]`)
      .join('; ')}`
  );
}

/** The figures a regression test holds the classifier to (training/eval-figures.json). */
export const RECORDED_FIGURES = path.resolve(import.meta.dirname, 'eval-figures.json');

export interface RecordedFigures {
  issueF1: number;
  macroF1: number;
  p1RecallOnCritical: number;
  categoryF1: Record<Category, number>;
}

export function recordedFigures(figures: EvaluationFigures): RecordedFigures {
  const round = (value: number) => Math.floor(value * 1000) / 1000;
  return {
    issueF1: round(figures.issue.f1),
    macroF1: round(figures.macroF1),
    p1RecallOnCritical: round(figures.p1RecallOnCritical ?? 0),
    categoryF1: Object.fromEntries(CATEGORIES.map((category) => [category, round(figures.categories[category].f1)])) as Record<Category, number>,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { json: { type: 'boolean', default: false }, file: { type: 'string' }, record: { type: 'boolean', default: false }, sample: { type: 'string' } },
  });
  const file = values.file ?? DEV_SET;
  const sample = values.sample === undefined ? 0 : Number(values.sample);
  if (!Number.isInteger(sample) || sample < 0) {
    console.error(`--sample takes a whole number of wrong answers to draw, such as --sample 40 (got "${values.sample}")`);
    process.exit(2);
  }
  const evaluation = await runEvaluation(file, sample);
  console.log(values.json ? JSON.stringify(evaluation.figures, null, 2) : formatEvaluation(evaluation, file));
  if (values.record) {
    if (file !== DEV_SET) throw new Error('--record keeps the figures of the development split only');
    writeFileSync(RECORDED_FIGURES, `${JSON.stringify(recordedFigures(evaluation.figures), null, 2)}\n`);
    console.log(`\nrecorded in ${path.relative(process.cwd(), RECORDED_FIGURES)}: the regression test now holds the classifier to these`);
  }
}
