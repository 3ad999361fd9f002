import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Category } from '#contracts/classification';
import * as z from '#contracts/zod';

/** The development split (../shared/data/README.md): read at evaluation time, never committed or trained on. */
export const DEV_SET = path.resolve(import.meta.dirname, '../../shared/data/airline-dev.jsonl');

const LabelledPost = z.object({
  id: z.string(),
  text: z.string(),
  created_at: z.optional(z.string()),
  label: Category,
  critical: z.optional(z.boolean()),
});
export type LabelledPost = z.infer<typeof LabelledPost>;

export class EvalDataError extends Error {
  override readonly name = 'EvalDataError';
}

/** Every line of a labelled JSON-lines file, validated; a bad line stops the evaluation with its number. */
export function readLabelledPosts(file: string): LabelledPost[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new EvalDataError(`cannot read ${file}: ${(error as Error).message}`);
  }
  return text
    .split('\n')
    .map((line, index) => ({ line, number: index + 1 }))
    .filter(({ line }) => line.trim() !== '')
    .map(({ line, number }) => {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        throw new EvalDataError(`${file}:${number}: not JSON (${(error as Error).message})`);
      }
      const parsed = LabelledPost.safeParse(value);
      if (!parsed.success) throw new EvalDataError(`${file}:${number}: ${z.prettifyError(parsed.error)}`);
      return parsed.data;
    });
}
