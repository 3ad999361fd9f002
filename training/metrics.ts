import type { Category } from '#contracts/classification';

export const CATEGORIES: readonly Category[] = ['delay', 'cancellation', 'meal', 'baggage', 'other_complaint', 'not_issue'];

export interface Scores {
  precision: number;
  recall: number;
  f1: number;
  /** How many items truly carry the label. */
  support: number;
}

export interface LabelledPrediction {
  expected: Category;
  predicted: Category;
  /** The prediction's isIssue (a language the model does not cover is an issue in any category). */
  predictedIssue: boolean;
  /** Marked as a safety or health risk in the data; P1 is what the classifier should say. */
  critical: boolean;
  predictedP1: boolean;
}

export interface EvaluationFigures {
  posts: number;
  issue: Scores;
  categories: Record<Category, Scores>;
  macroF1: number;
  accuracy: number;
  /** P1 recall on the posts marked critical; null when there are none. */
  p1RecallOnCritical: number | null;
  criticalPosts: number;
  /** confusion[expected][predicted] = count. */
  confusion: Record<Category, Record<Category, number>>;
}

/** Precision, recall and F1 from counts; 0 where a ratio has nothing to divide by. */
export function scores(truePositives: number, falsePositives: number, falseNegatives: number): Scores {
  const precision = truePositives + falsePositives === 0 ? 0 : truePositives / (truePositives + falsePositives);
  const recall = truePositives + falseNegatives === 0 ? 0 : truePositives / (truePositives + falseNegatives);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, support: truePositives + falseNegatives };
}

/**
 * The figures issue #4 asks for: issue-vs-not scores (an issue is any category but not_issue),
 * per-category scores, macro-F1 over the six categories, the confusion matrix and P1 recall on
 * the posts marked critical.
 */
export function evaluate(predictions: readonly LabelledPrediction[]): EvaluationFigures {
  const confusion = Object.fromEntries(CATEGORIES.map((row) => [row, Object.fromEntries(CATEGORIES.map((column) => [column, 0]))])) as Record<
    Category,
    Record<Category, number>
  >;
  let issueTp = 0;
  let issueFp = 0;
  let issueFn = 0;
  let critical = 0;
  let criticalP1 = 0;
  for (const prediction of predictions) {
    confusion[prediction.expected][prediction.predicted]++;
    const expectedIssue = prediction.expected !== 'not_issue';
    if (expectedIssue && prediction.predictedIssue) issueTp++;
    else if (!expectedIssue && prediction.predictedIssue) issueFp++;
    else if (expectedIssue && !prediction.predictedIssue) issueFn++;
    if (prediction.critical) {
      critical++;
      if (prediction.predictedP1) criticalP1++;
    }
  }
  const categories = Object.fromEntries(
    CATEGORIES.map((category) => {
      const tp = confusion[category][category];
      const fn = CATEGORIES.reduce((sum, other) => sum + (other === category ? 0 : confusion[category][other]), 0);
      const fp = CATEGORIES.reduce((sum, other) => sum + (other === category ? 0 : confusion[other][category]), 0);
      return [category, scores(tp, fp, fn)];
    }),
  ) as Record<Category, Scores>;
  const correct = CATEGORIES.reduce((sum, category) => sum + confusion[category][category], 0);
  return {
    posts: predictions.length,
    issue: scores(issueTp, issueFp, issueFn),
    categories,
    macroF1: CATEGORIES.reduce((sum, category) => sum + categories[category].f1, 0) / CATEGORIES.length,
    accuracy: predictions.length === 0 ? 0 : correct / predictions.length,
    p1RecallOnCritical: critical === 0 ? null : criticalP1 / critical,
    criticalPosts: critical,
    confusion,
  };
}
