import type { Category, Classification } from '#contracts/classification';
import type { QueueConfig } from '#contracts/config';
import { DetailType, EventSource, type OutgoingEvent, type PostClassifiedDetail, type PostRemovedDetail } from '#contracts/events';
import type { IncomingPost, ParsedDelivery, Removal } from '#contracts/delivery';
import { mapWithLimit } from '../concurrency.ts';
import { InProgressError, PublishError } from '../errors.ts';
import type { Classifier, Clock, DedupeStore, EventPublisher } from '../ports.ts';
import { chooseQueue } from '../routing/choose-queue.ts';

export interface IngestPorts {
  events: EventPublisher;
  dedupe: DedupeStore;
  queues: readonly QueueConfig[];
  classifier: Classifier;
  now: Clock;
}

export interface IngestOutcome {
  /** Posts handed on now (new posts and edits). */
  accepted: number;
  /** Posts and removals seen before: acknowledged, no second effect. */
  duplicates: number;
  removals: number;
  ignored: number;
  /** How many accepted posts went to each queue (`none`: not an issue). */
  queues: Record<string, number>;
  /** How many accepted posts were issues, per category. */
  issues: Partial<Record<Category, number>>;
}

/** Dedupe claims in flight at once: a Meta batch holds up to 1,000 changes. */
const CLAIM_CONCURRENCY = 32;

type Item = { kind: 'post'; value: IncomingPost } | { kind: 'removal'; value: Removal };

/**
 * A verified delivery, handed on: every post is classified, stamped with its queue and published
 * as Post.Classified; every removal as Post.Removed. Each is claimed under its dedupe key first,
 * so a redelivery has no second effect; a failure to publish releases the claims of what was not
 * handed on and throws, so the platform retries and the retry hands on exactly those.
 */
export async function ingestDelivery(delivery: ParsedDelivery, ports: IngestPorts): Promise<IngestOutcome> {
  const now = ports.now();
  const items = uniqueByKey([
    ...delivery.posts.map((value): Item => ({ kind: 'post', value })),
    ...delivery.removals.map((value): Item => ({ kind: 'removal', value })),
  ]);
  const claims = await mapWithLimit(items, CLAIM_CONCURRENCY, (item) => ports.dedupe.claim(item.value.dedupeKey, now));

  const outcome: IngestOutcome = { accepted: 0, duplicates: 0, removals: 0, ignored: delivery.ignored.length, queues: {}, issues: {} };
  const claimed: Array<{ item: Item; token: string }> = [];
  let inProgress = 0;
  for (const [index, item] of items.entries()) {
    const claim = claims[index]!;
    if (claim.outcome === 'duplicate') outcome.duplicates++;
    else if (claim.outcome === 'in_progress') inProgress++;
    else claimed.push({ item, token: claim.token });
  }
  // Classified after the claims, so a redelivered post costs no classification; all at once,
  // so a 1,000-change Meta delivery is one call to the classifier.
  const posts = claimed.flatMap(({ item }) => (item.kind === 'post' ? [item.value.post] : []));
  const classifications = await classifyOrRelease(ports, claimed, posts);
  let next = 0;
  const toPublish = claimed.map(({ item, token }) => ({
    item,
    token,
    event: item.kind === 'removal' ? removalEvent(item.value) : postEvent(item.value, classifications[next++]!, now, ports.queues),
  }));

  const claimOf = ({ item, token }: (typeof toPublish)[number]) => ({ key: item.value.dedupeKey, token });
  try {
    await ports.events.publish(toPublish.map((entry) => entry.event));
  } catch (error) {
    const unpublished = new Set(error instanceof PublishError ? error.unpublished : toPublish.map((_, index) => index));
    await ports.dedupe.complete(toPublish.filter((_, index) => !unpublished.has(index)).map(claimOf));
    await mapWithLimit(
      toPublish.filter((_, index) => unpublished.has(index)),
      CLAIM_CONCURRENCY,
      ({ item, token }) => ports.dedupe.release(item.value.dedupeKey, token),
    );
    throw error;
  }
  await ports.dedupe.complete(toPublish.map(claimOf));

  for (const { item, event } of toPublish) {
    if (item.kind === 'removal') {
      outcome.removals++;
      continue;
    }
    outcome.accepted++;
    const detail = event.detail as PostClassifiedDetail;
    const queue = detail.queue ?? 'none';
    outcome.queues[queue] = (outcome.queues[queue] ?? 0) + 1;
    const { isIssue, category } = detail.classification;
    if (isIssue) outcome.issues[category] = (outcome.issues[category] ?? 0) + 1;
  }
  // Everything else is handed on; the platform's retry finds these done, or claims them itself.
  if (inProgress > 0) throw new InProgressError(`${inProgress} item(s) of this delivery are being handed on by another request; retry shortly`);
  return outcome;
}

/** A classifier that fails leaves nothing claimed: the platform's retry finds every post unclaimed. */
async function classifyOrRelease(ports: IngestPorts, claimed: ReadonlyArray<{ item: Item; token: string }>, posts: IncomingPost['post'][]) {
  try {
    const classifications = await ports.classifier.classify(posts.map(({ text, createdAt, languageHint }) => ({ text, createdAt, languageHint })));
    if (classifications.length !== posts.length) throw new Error(`the classifier answered ${classifications.length} of ${posts.length} posts`);
    return classifications;
  } catch (error) {
    await mapWithLimit(claimed, CLAIM_CONCURRENCY, ({ item, token }) => ports.dedupe.release(item.value.dedupeKey, token));
    throw error;
  }
}

function removalEvent({ platform, postId, removedAt, brandAccountId }: Removal): OutgoingEvent {
  const detail: PostRemovedDetail = { platform, postId, removedAt, brandAccountId };
  return { source: EventSource.ingest, detailType: DetailType.postRemoved, detail };
}

function postEvent({ post }: IncomingPost, classification: Classification, now: Date, queues: readonly QueueConfig[]): OutgoingEvent {
  const routed = { post, classification, receivedAt: now.toISOString() };
  const detail: PostClassifiedDetail = { ...routed, queue: chooseQueue(routed, queues) };
  return { source: EventSource.ingest, detailType: DetailType.postClassified, detail };
}

/** A batch may name the same post twice; it is handed on once. */
function uniqueByKey(items: Item[]): Item[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(item.value.dedupeKey) && seen.add(item.value.dedupeKey));
}
