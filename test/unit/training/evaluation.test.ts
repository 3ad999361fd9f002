import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEV_SET } from '../../../training/eval-data.ts';
import { RECORDED_FIGURES, recordedFigures, runEvaluation, sampleErrors, THRESHOLDS, type RecordedFigures } from '../../../training/eval.ts';

// The development split lives outside the repository (../shared/data, never committed); CI has
// it at the same place, so there a missing file is a failure, not a skip.
const available = existsSync(DEV_SET);
if (!available && process.env.CI) throw new Error(`${DEV_SET} is missing: the evaluation regression test needs ../shared/data`);

describe.runIf(available)('the shipped classifier on the development split', () => {
  it('scores no lower than the figures recorded in training/eval-figures.json', async () => {
    const recorded = JSON.parse(readFileSync(RECORDED_FIGURES, 'utf8')) as RecordedFigures;
    const evaluation = await runEvaluation();
    const measured = recordedFigures(evaluation.figures);
    expect.soft(measured.issueF1).toBeGreaterThanOrEqual(recorded.issueF1);
    expect.soft(measured.macroF1).toBeGreaterThanOrEqual(recorded.macroF1);
    expect.soft(measured.p1RecallOnCritical).toBeGreaterThanOrEqual(recorded.p1RecallOnCritical);
    for (const [category, f1] of Object.entries(recorded.categoryF1)) {
      expect.soft(measured.categoryF1[category as keyof RecordedFigures['categoryF1']], category).toBeGreaterThanOrEqual(f1);
    }
    // The issue decision at each threshold: the default's row is the figures above, and a higher threshold takes fewer posts for issues.
    expect(evaluation.thresholds.map(({ threshold }) => threshold)).toEqual([...THRESHOLDS]);
    expect(evaluation.thresholds.find(({ threshold }) => threshold === 0.5)!.issue).toEqual(evaluation.figures.issue);
    for (const [index, row] of evaluation.thresholds.entries()) {
      if (index === 0) continue;
      const before = evaluation.thresholds[index - 1]!;
      expect(row.issues).toBeLessThan(before.issues);
      expect(row.issue.recall).toBeLessThan(before.issue.recall);
      expect(row.issue.precision).toBeGreaterThan(before.issue.precision);
    }
  });
});

describe('sampleErrors: wrong answers drawn for a hand audit', () => {
  const entry = (index: number, right: boolean, confidence: number) => ({
    post: { id: `post-${index}`, label: 'delay' as const },
    classification: { category: right ? ('delay' as const) : ('other_complaint' as const), confidence },
  });
  const entries = Array.from({ length: 400 }, (_, index) => entry(index, index % 4 === 0, (index % 100) / 100));

  it('draws only wrong answers, as many as asked for, or all of them when there are fewer', () => {
    const drawn = sampleErrors(entries, 40);
    expect(drawn).toHaveLength(40);
    for (const { post, classification } of drawn) expect(classification.category).not.toBe(post.label);
    expect(sampleErrors(entries, 1_000)).toHaveLength(300);
    expect(sampleErrors(entries, 0)).toEqual([]);
  });

  it('draws the same posts whatever order they come in', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(entries, { minLength: entries.length }), (shuffled) => {
        expect(sampleErrors(shuffled, 25).map(({ post }) => post.id)).toEqual(sampleErrors(entries, 25).map(({ post }) => post.id));
      }),
    );
  });

  it('does not favour the confident answers, as the worst-errors list does', () => {
    const confidences = sampleErrors(entries, 60).map(({ classification }) => classification.confidence);
    expect(confidences.filter((confidence) => confidence < 0.5).length).toBeGreaterThan(15);
    expect(confidences.filter((confidence) => confidence >= 0.5).length).toBeGreaterThan(15);
  });
});
