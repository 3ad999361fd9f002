import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Category, Priority } from '#contracts/classification';
import * as z from '#contracts/zod';

/** The labelled corpus written for this project (training/corpus/*.jsonl): the only data the model learns from. */
export const CORPUS_DIR = path.resolve(import.meta.dirname, 'corpus');

export const CorpusPost = z.object({
  id: z.string().check(z.regex(/^[a-z-]+-\d{4}$/)),
  text: z.string().check(z.minLength(1), z.maxLength(25_000)),
  category: Category,
  priority: Priority,
  platform: z.enum(['x', 'facebook', 'instagram', 'messenger']),
  note: z.optional(z.string()),
});
export type CorpusPost = z.infer<typeof CorpusPost>;

export interface Corpus {
  posts: CorpusPost[];
  /** SHA-256 over the files as read, in name order: the model records what it learned from. */
  digest: string;
  files: string[];
}

export class CorpusError extends Error {
  override readonly name = 'CorpusError';
}

/** Every corpus file in name order, each line validated; ids and texts must be unique. */
export function readCorpus(dir = CORPUS_DIR): Corpus {
  const files = readdirSync(dir).filter((name) => name.endsWith('.jsonl')).sort();
  if (files.length === 0) throw new CorpusError(`no .jsonl files in ${dir}`);
  const hash = createHash('sha256');
  const posts: CorpusPost[] = [];
  const ids = new Set<string>();
  const texts = new Map<string, string>();
  for (const file of files) {
    const content = readFileSync(path.join(dir, file), 'utf8');
    hash.update(file).update('\0').update(content).update('\0');
    content.split('\n').forEach((line, index) => {
      if (line.trim() === '') return;
      const where = `${file}:${index + 1}`;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        throw new CorpusError(`${where}: not JSON (${(error as Error).message})`);
      }
      const parsed = CorpusPost.safeParse(value);
      if (!parsed.success) throw new CorpusError(`${where}: ${z.prettifyError(parsed.error)}`);
      const post = parsed.data;
      if (ids.has(post.id)) throw new CorpusError(`${where}: id ${post.id} is used twice`);
      const key = post.text.trim().toLowerCase();
      const first = texts.get(key);
      if (first) throw new CorpusError(`${where}: the same text as ${first}`);
      if ((post.category === 'not_issue') !== (post.priority === 'P4')) {
        throw new CorpusError(`${where}: not_issue goes with P4 and only with P4 (got ${post.category} ${post.priority})`);
      }
      ids.add(post.id);
      texts.set(key, post.id);
      posts.push(post);
    });
  }
  return { posts, digest: hash.digest('hex'), files };
}
