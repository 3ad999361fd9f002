// Classifier throughput in a fresh node process, against the classifier bundle as CDK builds it:
// argv[2] = the bundle's URL, argv[3] = a JSON file of post texts. Prints one JSON line.
// With argv[4] = "first-post" or "first-batch" and argv[5] = an index i, it times only the
// process's first classify() and prints its milliseconds: one post (post i, as a cold start's first
// X delivery classifies it) or 1,000 posts (from post 100 × i on, as a first Meta delivery).
import { readFileSync } from 'node:fs';

const ROUNDS = 7;
const started = performance.now();
const { classifier } = await import(process.argv[2]);
const importMs = performance.now() - started;
const texts = JSON.parse(readFileSync(process.argv[3], 'utf8'));
const posts = texts.map((text) => ({ text }));

if (process.argv[4] === 'first-post' || process.argv[4] === 'first-batch') {
  const index = Number(process.argv[5]);
  const first = process.argv[4] === 'first-post' ? [posts[index % posts.length]] : Array.from({ length: 1000 }, (_, at) => posts[(100 * index + at) % posts.length]);
  const at = performance.now();
  await classifier.classify(first);
  const ms = performance.now() - at;
  process.stdout.write(`${JSON.stringify({ ms })}\n`, () => process.exit(0));
  await new Promise(() => {});
}

// The first batch of the process (the language detector is loaded here if a post needs it). The
// bench reports first batches from fresh processes of their own ("first-batch" above); this one is
// kept in the summary beside them.
const batch = posts.slice(0, 1000);
let at = performance.now();
await classifier.classify(batch);
const firstBatchMs = performance.now() - at;

// One post at a time, as the webhook classifies an X or Standard Webhooks delivery.
const perPostUs = [];
const roundRates = [];
for (let round = 0; round < ROUNDS; round++) {
  const roundStarted = performance.now();
  for (const post of posts) {
    at = performance.now();
    await classifier.classify([post]);
    if (round > 0) perPostUs.push((performance.now() - at) * 1000);
  }
  if (round > 0) roundRates.push(posts.length / ((performance.now() - roundStarted) / 1000));
}
const batchMs = [];
for (let round = 0; round < ROUNDS; round++) {
  at = performance.now();
  await classifier.classify(batch);
  batchMs.push(performance.now() - at);
}
perPostUs.sort((a, b) => a - b);
const rank = (p) => perPostUs[Math.max(0, Math.ceil((p / 100) * perPostUs.length) - 1)];
// Summaries only: a pipe may not take a long line before the process exits.
const summary = { importMs, firstBatchMs, perPostUs: { p50: rank(50), p99: rank(99), max: perPostUs.at(-1) }, roundRates, batchMs, posts: posts.length };
process.stdout.write(`${JSON.stringify(summary)}\n`, () => process.exit(0));
