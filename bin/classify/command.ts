import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Classification } from '#contracts/classification';
import type { Classifier } from '#domain/ports';
import { parseLine } from '../send/read-posts.ts';

/** Lines classified together: one call to the classifier, output written before reading on. */
const CHUNK = 512;

export interface ClassifyCommand {
  input: Readable;
  output: Writable;
  classifier: Classifier;
  pretty: boolean;
}

type Line = { line: number; id: string | null; post?: { text: string; createdAt?: string; languageHint?: string }; error?: string };

/**
 * `npx redress classify`: JSON lines `{"id", "text"}` (or plain text lines) in, one classification
 * per post out, in input order, each carrying the post's `id` (null when the line gave none) and
 * its line number. A line that cannot be read yields an error object for that line and the rest
 * go on; blank lines are skipped. Resolves to the number of lines that were errors.
 */
export async function runClassify({ input, output, classifier, pretty }: ClassifyCommand): Promise<number> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let pending: Line[] = [];
  let number = 0;
  let errors = 0;
  const flush = async () => {
    const posts = pending.flatMap((entry) => (entry.post ? [entry.post] : []));
    const results = await classifier.classify(posts);
    let next = 0;
    const text = pending
      .map((entry) => {
        if (!entry.post) {
          errors++;
          return pretty ? `line ${entry.line}${entry.id ? ` (${entry.id})` : ''}: error: ${entry.error}` : JSON.stringify({ id: entry.id, line: entry.line, error: entry.error });
        }
        const result = results[next++]!;
        return pretty ? describe(entry, result) : JSON.stringify({ id: entry.id, line: entry.line, ...result });
      })
      .join('\n');
    pending = [];
    if (text) await write(output, `${text}\n`);
  };
  for await (const raw of lines) {
    number++;
    const parsed = parseLine(number === 1 ? raw.replace(/^\uFEFF/, '') : raw);
    if ('blank' in parsed) continue;
    if ('invalid' in parsed) pending.push({ line: number, id: idOf(raw), error: parsed.invalid });
    else {
      const { id, text, createdAt, language } = parsed.post;
      pending.push({ line: number, id: id ?? null, post: { text, createdAt, languageHint: language } });
    }
    if (pending.length >= CHUNK) await flush();
  }
  await flush();
  return errors;
}

/** The id of a line that could not be read, when it has one to give, so the error can be matched up. */
function idOf(raw: string): string | null {
  try {
    const value = JSON.parse(raw) as { id?: unknown };
    return typeof value.id === 'string' || typeof value.id === 'number' ? String(value.id) : null;
  } catch {
    return null;
  }
}

function describe(entry: Line, result: Classification): string {
  const head = `line ${entry.line}${entry.id ? ` (${entry.id})` : ''}: ${result.isIssue ? `ISSUE ${result.category} ${result.priority}` : 'not an issue'} ` +
    `· confidence ${result.confidence.toFixed(2)} · ${result.language}`;
  const text = `  "${entry.post!.text.replace(/\s+/g, ' ').slice(0, 120)}"`;
  const reasons = result.reasons.map((reason) => `  ${reason.decision}: ${reason.rule}${reason.evidence.length ? ` [${reason.evidence.join(', ')}]` : ''}`);
  return [head, text, ...reasons, ''].join('\n');
}

function write(stream: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => stream.write(text, (error) => (error ? reject(error) : resolve())));
}
