import { execFile } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { median, percentile } from './stats.ts';

const run = promisify(execFile);
const PROBES = path.join(import.meta.dirname, 'probes');
const CHILD_TIMEOUT_MS = 30_000;

export interface ImportSubject {
  id: string;
  file: string;
}

export interface ImportTimes {
  samplesMs: number[];
  medianMs: number;
  p90Ms: number;
}

export class ImportError extends Error {
  override readonly name = 'ImportError';
}

/**
 * `runs` fresh node processes per bundle, taken round-robin and one at a time: drift on the
 * machine (a busy neighbour, a CPU that warms up) then lands on every row alike, and the rows
 * can be compared as ratios within the run even where the absolute numbers cannot. Each round
 * starts one bundle further along, so no bundle always follows the same one.
 */
export async function timeImports(
  subjects: readonly ImportSubject[],
  runs: number,
  env: Readonly<Record<string, string>>,
  onRound: (round: number) => void = () => {},
): Promise<Map<string, ImportTimes>> {
  const samples = new Map(subjects.map((subject) => [subject.id, [] as number[]]));
  for (let round = 0; round < runs; round++) {
    onRound(round);
    for (let turn = 0; turn < subjects.length; turn++) {
      const subject = subjects[(round + turn) % subjects.length];
      if (subject) samples.get(subject.id)?.push(await importOnce(subject, env));
    }
  }
  return new Map(
    [...samples].map(([id, values]) => [id, { samplesMs: values, medianMs: median(values), p90Ms: percentile(values, 90) }]),
  );
}

async function importOnce(subject: ImportSubject, env: Readonly<Record<string, string>>): Promise<number> {
  const { stdout } = await child('time-import.mjs', subject, env);
  const ms = Number(stdout.trim().split('\n').at(-1));
  if (!Number.isFinite(ms)) throw new ImportError(`importing ${subject.id} printed no time:\n${stdout}`);
  return ms;
}

export interface ImportFindings {
  /** Connections and lookups the import attempted (all refused). */
  networkAttempts: string[];
  /** Handles and requests still active 200 ms after the import, e.g. `Timeout`, `TCPSocketWrap`. */
  activeResources: string[];
  /** Anything the import wrote to stdout or stderr. */
  output: string;
}

/** Imports the bundle once with the network refused (probes/import-guard.mjs). */
export async function guardImport(subject: ImportSubject, env: Readonly<Record<string, string>>): Promise<ImportFindings> {
  const { stdout, stderr } = await child('import-guard.mjs', subject, env);
  const marker = 'BENCH_IMPORT_GUARD ';
  const lines = stdout.split('\n');
  const reportLine = lines.find((line) => line.startsWith(marker));
  if (!reportLine) throw new ImportError(`the import guard printed no report for ${subject.id}:\n${stdout}${stderr}`);
  const report = JSON.parse(reportLine.slice(marker.length)) as { attempts: string[]; error?: string; resources: string[] };
  if (report.error && report.attempts.length === 0) throw new ImportError(`importing ${subject.id} failed:\n${report.error}`);
  const output = [...lines.filter((line) => line !== reportLine), stderr].join('\n').trim();
  return { networkAttempts: report.attempts, activeResources: report.resources, output };
}

async function child(probe: string, subject: ImportSubject, env: Readonly<Record<string, string>>) {
  try {
    return await run(process.execPath, [path.join(PROBES, probe), pathToFileURL(subject.file).href], {
      env,
      timeout: CHILD_TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const { stderr = '', stdout = '' } = error as { stderr?: string; stdout?: string };
    throw new ImportError(`importing ${subject.id} in a fresh node failed: ${(error as Error).message}\n${stdout}${stderr}`);
  }
}
