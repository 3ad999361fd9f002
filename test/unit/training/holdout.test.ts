import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCorpus } from '../../../training/corpus.ts';
import { readLabelledPosts } from '../../../training/eval-data.ts';

const HOLDOUT_DIR = path.resolve(import.meta.dirname, '../../../training/holdout');
const files = readdirSync(HOLDOUT_DIR).filter((name) => name.endsWith('.jsonl'));
const key = (text: string) => text.trim().toLowerCase();

describe('the held-out sets (training/holdout/)', () => {
  const trained = new Set(readCorpus().posts.map((post) => key(post.text)));

  it('are there to read', () => {
    expect(files).toEqual(expect.arrayContaining(['dev-style.jsonl', 'sarcasm.jsonl']));
  });

  // Their figures mean something only while the model has never seen their posts.
  it.each(files)('%s: every line is a labelled post, and none is in the training corpus', (file) => {
    const posts = readLabelledPosts(path.join(HOLDOUT_DIR, file));
    expect(posts.length).toBeGreaterThan(100);
    expect(posts.filter((post) => trained.has(key(post.text))).map((post) => post.text)).toEqual([]);
    expect(new Set(posts.map((post) => post.id)).size).toBe(posts.length);
  });
});
