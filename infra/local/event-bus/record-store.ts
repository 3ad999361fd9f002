import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * An append-mostly list of JSON records: the event archive and the dead-letter store. On disk it
 * is JSON Lines; without a data directory it lives in memory. Every operation runs one at a time,
 * so a read never sees half an append and a rewrite never loses a concurrent append.
 */
export interface RecordStore<T> {
  append(records: readonly T[]): Promise<void>;
  readAll(): Promise<T[]>;
  /** Replaces the records with `update(current)`; returns what `update` returned. */
  rewrite(update: (records: T[]) => T[]): Promise<T[]>;
}

/** Serialises async operations: each starts after the previous one settled. */
class Mutex {
  #tail: Promise<unknown> = Promise.resolve();

  run<R>(operation: () => Promise<R>): Promise<R> {
    const result = this.#tail.then(operation, operation);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}

export class MemoryRecordStore<T> implements RecordStore<T> {
  #records: T[] = [];

  async append(records: readonly T[]): Promise<void> {
    this.#records.push(...structuredClone(records));
  }

  async readAll(): Promise<T[]> {
    return structuredClone(this.#records);
  }

  async rewrite(update: (records: T[]) => T[]): Promise<T[]> {
    this.#records = structuredClone(update(structuredClone(this.#records)));
    return structuredClone(this.#records);
  }
}

export class JsonLinesStore<T> implements RecordStore<T> {
  readonly #mutex = new Mutex();

  constructor(
    readonly path: string,
    private readonly onCorruptLine: (lineNumber: number) => void = () => undefined,
  ) {}

  append(records: readonly T[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    const text = records.map((record) => `${JSON.stringify(record)}\n`).join('');
    return this.#mutex.run(async () => {
      await mkdir(dirname(this.path), { recursive: true });
      // One write of whole lines and an fsync before we answer: an accepted event or a dead letter
      // is on disk by the time anyone is told about it.
      const file = await open(this.path, 'a');
      try {
        await file.write(text);
        await file.sync();
      } finally {
        await file.close();
      }
    });
  }

  readAll(): Promise<T[]> {
    return this.#mutex.run(() => this.#read());
  }

  rewrite(update: (records: T[]) => T[]): Promise<T[]> {
    return this.#mutex.run(async () => {
      const next = update(await this.#read());
      await writeFileAtomically(this.path, next.map((record) => `${JSON.stringify(record)}\n`).join(''));
      return next;
    });
  }

  async #read(): Promise<T[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if (isMissingFile(error)) return [];
      throw error;
    }
    const records: T[] = [];
    text.split('\n').forEach((line, index) => {
      if (line.trim() === '') return;
      try {
        records.push(JSON.parse(line) as T);
      } catch {
        // A crash in the middle of an append can leave a torn last line; skip it rather than
        // refuse to start, and say so.
        this.onCorruptLine(index + 1);
      }
    });
    return records;
  }
}

/** Writes a temp file, fsyncs it and renames it over `path`, so readers see the old or the new file, never half. */
export async function writeFileAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  const file = await open(temporary, 'w');
  try {
    await file.write(text);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, path);
  await syncDirectory(dirname(path));
}

async function syncDirectory(path: string): Promise<void> {
  // Makes the rename itself durable on Linux; some platforms cannot open a directory for fsync.
  try {
    const directory = await open(path, 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
  } catch {
    // Best effort only.
  }
}

export function isMissingFile(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}
