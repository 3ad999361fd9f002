/**
 * `npm run eval`: measures the shipped classifier against the development split of the airline
 * evaluation set (../shared/data/airline-dev.jsonl; read its README: evaluation only, never
 * committed, never trained on). Prints issue-vs-not and per-category precision/recall/F1,
 * macro-F1, the confusion matrix, P1 recall on the posts marked critical and the 20 worst errors.
 * `--json` prints the figures as JSON; `--file` evaluates another labelled JSON-lines file, such as
 * training/holdout/dev-style.jsonl: 220 posts written for the project in the styles of the dev set
 * and never trained on. Written wording is cleaner than real posts, so it scores far above the dev
 * set; it catches a change that stops the model reading new wording, not the distance to the bar.
 * training/holdout/sarcasm.jsonl (160 posts, also never trained on) measures sarcasm: 90 complaints
 * in praising words ("thanks so much for canceling my flight") and 70 sincere posts in the same words;
 * `--record` writes the figures to training/eval-figures.json, which a test holds the
 * classifier to (record only figures that were measured, after a change that earns them).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { embeddedClassifier } from '#adapters/embedded-classifier';
import type { Category, Classification } from '#contracts/classification';
import { loadConfig } from '#config/load-config';
import { DEV_SET, readLabelledPosts, type LabelledPost } from './eval-data.ts';
import { CATEGORIES, evaluate, type EvaluationFigures } from './metrics.ts';

export interface Evaluation {
  figures: EvaluationFigures;
  worst: Array<{ post: LabelledPost; classification: Classification; wrongBy: number }>;
  postsPerSecond: number;
}

/** Classifies every post of `file` with the embedded classifier and scores it. */
export async function runEvaluation(file = DEV_SET): Promise<Evaluation> {
  const posts = readLabelledPosts(file);
  const classifier = embeddedClassifier(loadConfig({}).config.classifier);
  const started = performance.now();
  const results = await classifier.classify(posts.map((post) => ({ text: post.text, createdAt: post.created_at })));
  const seconds = (performance.now() - started) / 1000;
  const figures = evaluate(
    posts.map((post, index) => {
      const result = results[index]!;
      return { expected: post.label, predicted: result.category, predictedIssue: result.isIssue, critical: post.critical === true, predictedP1: result.priority === 'P1' };
    }),
  );
  // The worst errors: wrong answers the classifier was surest of.
  const worst = posts
    .map((post, index) => ({ post, classification: results[index]! }))
    .filter(({ post, classification }) => classification.category !== post.label)
    .map((entry) => ({ ...entry, wrongBy: entry.classification.confidence }))
    .sort((a, b) => b.wrongBy - a.wrongBy || a.post.id.localeCompare(b.post.id))
    .slice(0, 20);
  return { figures, worst, postsPerSecond: posts.length / seconds };
}

export function formatEvaluation({ figures, worst, postsPerSecond }: Evaluation, file: string): string {
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
    `confusion (rows: label, columns: prediction)`,
    `  ${''.padEnd(8)}${CATEGORIES.map((category) => short(category).padStart(8)).join('')}`,
    ...CATEGORIES.map((expected) => `  ${short(expected).padEnd(8)}${CATEGORIES.map((predicted) => String(figures.confusion[expected][predicted]).padStart(8)).join('')}`),
    '',
    'the 20 worst errors (wrong answers given with the most confidence):',
    ...worst.map(
      ({ post, classification }) =>
        `  ${post.id}  ${post.label} -> ${classification.category} (${classification.confidence.toFixed(2)}): ` +
        `${post.text.replace(/\s+/g, ' ').slice(0, 110)}\n      why: ${classification.reasons
          .filter((reason) => reason.decision === 'issue' || reason.decision === 'category')
          .map((reason) => `${reason.rule} [${reason.evidence.join(', ')}]`)
          .join('; ')}`,
    ),
  ];
  return lines.join('\n');
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
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, file: { type: 'string' }, record: { type: 'boolean', default: false } } });
  const file = values.file ?? DEV_SET;
  const evaluation = await runEvaluation(file);
  console.log(values.json ? JSON.stringify(evaluation.figures, null, 2) : formatEvaluation(evaluation, file));
  if (values.record) {
    if (file !== DEV_SET) throw new Error('--record keeps the figures of the development split only');
    writeFileSync(RECORDED_FIGURES, `${JSON.stringify(recordedFigures(evaluation.figures), null, 2)}\n`);
    console.log(`\nrecorded in ${path.relative(process.cwd(), RECORDED_FIGURES)}: the regression test now holds the classifier to these`);
  }
}
