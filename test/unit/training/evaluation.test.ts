import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEV_SET } from '../../../training/eval-data.ts';
import { RECORDED_FIGURES, recordedFigures, runEvaluation, type RecordedFigures } from '../../../training/eval.ts';

// The development split lives outside the repository (../shared/data, never committed); CI has
// it at the same place, so there a missing file is a failure, not a skip.
const available = existsSync(DEV_SET);
if (!available && process.env.CI) throw new Error(`${DEV_SET} is missing: the evaluation regression test needs ../shared/data`);

describe.runIf(available)('the shipped classifier on the development split', () => {
  it('scores no lower than the figures recorded in training/eval-figures.json', async () => {
    const recorded = JSON.parse(readFileSync(RECORDED_FIGURES, 'utf8')) as RecordedFigures;
    const measured = recordedFigures((await runEvaluation()).figures);
    expect.soft(measured.issueF1).toBeGreaterThanOrEqual(recorded.issueF1);
    expect.soft(measured.macroF1).toBeGreaterThanOrEqual(recorded.macroF1);
    expect.soft(measured.p1RecallOnCritical).toBeGreaterThanOrEqual(recorded.p1RecallOnCritical);
    for (const [category, f1] of Object.entries(recorded.categoryF1)) {
      expect.soft(measured.categoryF1[category as keyof RecordedFigures['categoryF1']], category).toBeGreaterThanOrEqual(f1);
    }
  });
});
