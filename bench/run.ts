import { version as esbuildVersion } from 'esbuild';
import { cpus } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '#config/load-config';
import { ESBUILD_TARGET } from '#infra/bundling';
import { BundleError, OUT_DIR } from './bundles.ts';
import { classifierSection } from './classifier.ts';
import { coldStartSection } from './cold-start.ts';
import { ImportError } from './import-time.ts';
import { renderReport, writeResults, type RunInfo, type Section } from './report.ts';
import { ticketsAndCostSection } from './tickets-and-cost.ts';
import { webhookLatencySection } from './webhook-latency.ts';

/** §1.3 of ../shared/research/perf-reliability.md: 25 processes is the least a median is worth here. */
const MIN_RUNS = 25;
const DEFAULT_RUNS = 31;

const started = performance.now();
const runs = runsFromArgs(process.argv.slice(2));
if (runs < MIN_RUNS) console.error(`bench: ${runs} runs is below ${MIN_RUNS}; the medians are too noisy to compare with the goals`);

try {
  const { config, origin } = loadConfig();
  const sections: Section[] = [await coldStartSection({ runs, config, progress })];
  progress('');
  sections.push(await classifierSection({ runs, config, progress }));
  progress('');
  // After the import timings, which want an idle machine: this one runs the whole stack in this process.
  const latency = await webhookLatencySection({ progress });
  sections.push(latency);
  progress('');
  sections.push(await ticketsAndCostSection({ progress, webhookUnloadedP50Ms: unloadedWebhookP50(latency) }));
  progress('');
  const info: RunInfo = {
    date: new Date().toISOString(),
    node: process.version,
    runs,
    cpus: `${cpus().length}× ${cpus()[0]?.model.trim() ?? 'unknown'}`,
    esbuild: `${esbuildVersion} target ${ESBUILD_TARGET}`,
    config: origin,
    took: `${((performance.now() - started) / 1000).toFixed(0)} s`,
  };
  const results = path.join(OUT_DIR, 'results.json');
  writeResults(results, info, sections);
  console.log(`${renderReport(info, sections)}\n\nresults: ${path.relative(process.cwd(), results)}`);
} catch (error) {
  if (error instanceof BundleError || error instanceof ImportError) fail(error.message);
  throw error;
}

/** The latency section's one-at-a-time row (one post a request, one in flight): its p50 is the webhook's duration in the cost. */
function unloadedWebhookP50(latency: Section): number | undefined {
  const runs = (latency.data as { runs?: Array<{ platform?: string; concurrency?: number; posts?: number; sent?: number; rate?: unknown; latencyMs?: { p50: number } | null }> }).runs ?? [];
  const unloaded = runs.find((run) => run.platform === 'generic' && run.concurrency === 1 && run.rate === undefined && run.posts === run.sent);
  return unloaded?.latencyMs?.p50;
}

function runsFromArgs(args: string[]): number {
  let value: string | undefined;
  try {
    value = parseArgs({ args, options: { runs: { type: 'string', default: String(DEFAULT_RUNS) } } }).values.runs;
  } catch (error) {
    fail(`${(error as Error).message}\nusage: npm run bench [-- --runs N]`);
  }
  const runs = Number(value);
  if (!Number.isInteger(runs) || runs < 1) fail(`--runs wants a whole number of processes per bundle, got ${value}`);
  return runs;
}

function progress(message: string, transient = false): void {
  if (!process.stderr.isTTY) {
    if (message && !transient) console.error(`bench: ${message}`);
    return;
  }
  process.stderr.write(`\r\x1b[K${message ? `bench: ${message}` : ''}${transient || !message ? '' : '\n'}`);
}

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(1);
}
