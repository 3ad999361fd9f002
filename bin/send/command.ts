import { readFile } from 'node:fs/promises';
import type { Brand, PlatformName } from './deliveries.ts';
import { progressReporter } from './progress.ts';
import { readPosts, type InvalidLine } from './read-posts.ts';
import { sendPosts } from './send-posts.ts';
import { exitCode, formatSummary } from './summary.ts';

export interface SendCommand {
  /** Read from this file; stdin otherwise. */
  file?: string;
  url: string;
  platform: PlatformName;
  concurrency: number;
  /** Deliveries per second on a fixed schedule (open loop); closed loop at `concurrency` without it. */
  rate?: number;
  duplicates: number;
  batch: number;
  timeoutMs: number;
  brand: Brand;
  json: boolean;
}

/** Invalid lines listed one by one up to this many; a whole file of them needs only the count. */
const LISTED_INVALID = 20;

/** `npx redress send`: read, report unreadable lines, send, summarise. Resolves to the exit status. */
export async function runSend(command: SendCommand): Promise<number> {
  const input = command.file === undefined ? await readStdin() : await readFile(command.file, 'utf8');
  const { posts, invalid } = readPosts(input);
  reportInvalid(invalid);

  process.stderr.write(`${plan(command, posts.length)}\n`);
  if (command.duplicates > command.concurrency) {
    process.stderr.write(`note: with --concurrency ${command.concurrency}, at most ${command.concurrency} of the ${command.duplicates} copies are in flight at once\n`);
  }
  const progress = progressReporter(process.stderr);
  const summary = await sendPosts({
    url: command.url,
    platform: command.platform,
    posts,
    invalid: invalid.length,
    concurrency: command.concurrency,
    ...(command.rate === undefined ? {} : { rate: command.rate }),
    duplicates: command.duplicates,
    batch: command.batch,
    timeoutMs: command.timeoutMs,
    brand: command.brand,
    onProgress: progress.update,
  });
  progress.done();
  process.stdout.write(command.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
  return exitCode(summary);
}

function plan(command: SendCommand, posts: number): string {
  const deliveries = Math.ceil(posts / command.batch);
  const requests = deliveries * command.duplicates;
  const details = [
    ...(command.rate === undefined
      ? [`concurrency ${command.concurrency}`]
      : [`${command.rate} deliveries/s for about ${seconds(deliveries / command.rate)}`, `at most ${command.concurrency} in flight`]),
    ...(command.duplicates > 1 ? [`${command.duplicates} copies each`] : []),
    ...(command.batch > 1 ? [`${command.batch} posts per delivery`] : []),
  ];
  return `sending ${plural(posts, 'post')} as ${plural(requests, 'request')} to ${command.url}/webhooks/${command.platform} (${details.join(', ')})`;
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
const seconds = (value: number) => `${value < 10 ? value.toFixed(1) : value.toFixed(0)} s`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function reportInvalid(invalid: readonly InvalidLine[]): void {
  for (const { line, reason } of invalid.slice(0, LISTED_INVALID)) process.stderr.write(`line ${line}: ${reason} (not sent)\n`);
  if (invalid.length > LISTED_INVALID) process.stderr.write(`... and ${invalid.length - LISTED_INVALID} more invalid lines (not sent)\n`);
}
