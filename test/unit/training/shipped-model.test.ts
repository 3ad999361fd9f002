import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MODEL_FILE } from '#adapters/embedded-classifier';
import { encodeModel } from '#domain/classification/linear-model';
import { readCorpus } from '../../../training/corpus.ts';
import { DEFAULT_TRAINING, trainClassifierModel } from '../../../training/linear-trainer.ts';

describe('the shipped model', () => {
  it('is exactly what npm run train makes of the corpus in the repository, byte for byte', () => {
    const corpus = readCorpus();
    const trained = encodeModel(trainClassifierModel(corpus.posts, { ...DEFAULT_TRAINING, training: { corpusSha256: corpus.digest } }));
    const shipped = readFileSync(fileURLToPath(MODEL_FILE));
    // When this fails, the corpus or the trainer changed without `npm run train` (and `npm run eval -- --record`).
    expect(Buffer.from(trained).equals(shipped)).toBe(true);
    // Training (five runs averaged) takes about 10 s alone; on a machine busy with other suites it can take several times that.
  }, 180_000);
});
