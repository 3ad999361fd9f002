import type { Category, Classification } from '#contracts/classification';
import type { QueueConfig } from '#contracts/config';
import { DetailType, EventSource, type OutgoingEvent } from '#contracts/event-names';
import type { PostClassifiedDetail, PostRemovedDetail } from '#contracts/events';
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
  /**
   * Config `ingest.publishNotIssues`: also publish Post.Classified for posts that are no issue and
   * go to no queue. Off by default: such a post has nothing to hand on, so it costs no event and
   * no dedupe record (a redelivery of it is classified again, and again has no effect), unless
   * it is a direct message or a reply, which may belong to its author's open ticket.
   */
  publishNotIssues: boolean;
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
 * A verified delivery, handed on: every post is classified and stamped with its queue; those with
 * something to hand on (an issue, a post routed to a queue, an edit, a direct message or reply,
 * or any post when `publishNotIssues` is set) are published as Post.Classified, every removal as Post.Removed.
 * Each of those is claimed under its dedupe key first, so a redelivery has no second effect; a
 * failure to publish releases the claims of what was not handed on and throws, so the platform
 * retries and the retry hands on exactly those. A post that is no issue is acknowledged with
 * nothing written.
 */
export async function ingestDelivery(delivery: ParsedDelivery, ports: IngestPorts): Promise<IngestOutcome> {
  const now = ports.now();
  const items = uniqueByKey([
    ...delivery.posts.map((value): Item => ({ kind: 'post', value })),
    ...delivery.removals.map((value): Item => ({ kind: 'removal', value })),
  ]);
  // All posts at once, so a 1,000-change Meta delivery is one call to the classifier; before any
  // claim, since what a post is decides whether it needs one.
  const posts = items.flatMap((item) => (item.kind === 'post' ? [item.value.post] : []));
  const classifications = await classify(ports, posts);
  let next = 0;
  const events = items.map((item) => (item.kind === 'removal' ? removalEvent(item.value) : postEvent(item.value, classifications[next++]!, now, ports.queues)));

  const outcome: IngestOutcome = { accepted: 0, duplicates: 0, removals: 0, ignored: delivery.ignored.length, queues: {}, issues: {} };
  const toClaim: Array<{ item: Item; event: OutgoingEvent }> = [];
  for (const [index, item] of items.entries()) {
    const event = events[index]!;
    if (item.kind === 'post' && !ports.publishNotIssues && nothingToHandOn(item.value, event.detail as PostClassifiedDetail)) count(outcome, event);
    else toClaim.push({ item, event });
  }
  const claims = await mapWithLimit(toClaim, CLAIM_CONCURRENCY, ({ item }) => ports.dedupe.claim(item.value.dedupeKey, now));
  const toPublish: Array<{ item: Item; event: OutgoingEvent; token: string }> = [];
  let inProgress = 0;
  for (const [index, entry] of toClaim.entries()) {
    const claim = claims[index]!;
    if (claim.outcome === 'duplicate') outcome.duplicates++;
    else if (claim.outcome === 'in_progress') inProgress++;
    else toPublish.push({ ...entry, token: claim.token });
  }

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
    if (item.kind === 'removal') outcome.removals++;
    else count(outcome, event);
  }
  // Everything else is handed on; the platform's retry finds these done, or claims them itself.
  if (inProgress > 0) throw new InProgressError(`${inProgress} item(s) of this delivery are being handed on by another request; retry shortly`);
  return outcome;
}

/** Classified before anything is claimed: a classifier that fails leaves nothing behind for the platform's retry. */
async function classify(ports: IngestPorts, posts: IncomingPost['post'][]) {
  if (posts.length === 0) return [];
  const classifications = await ports.classifier.classify(posts.map(({ text, createdAt, languageHint }) => ({ text, createdAt, languageHint })));
  if (classifications.length !== posts.length) throw new Error(`the classifier answered ${classifications.length} of ${posts.length} posts`);
  return classifications;
}

/**
 * No issue, no queue, not an edit (which may change a stored post) and not in a conversation:
 * nobody downstream acts on it. A direct message or a reply may answer an agent ("here is my
 * booking ref", a photo), so it is handed on for its author's open ticket (infra/topology.ts,
 * followUpRules).
 */
function nothingToHandOn({ post }: IncomingPost, detail: PostClassifiedDetail): boolean {
  return !detail.classification.isIssue && detail.queue === null && post.editedAt === undefined && !inConversation(post);
}

/** Kind `reply` on every platform, not `inReplyToId`: a top-level Facebook comment names its post as its parent. */
function inConversation(post: IncomingPost['post']): boolean {
  return post.kind === 'direct_message' || post.kind === 'reply';
}

/** An accepted post in the outcome: by queue (`none`), and by category when it is an issue. */
function count(outcome: IngestOutcome, event: OutgoingEvent): void {
  outcome.accepted++;
  const detail = event.detail as PostClassifiedDetail;
  const queue = detail.queue ?? 'none';
  outcome.queues[queue] = (outcome.queues[queue] ?? 0) + 1;
  const { isIssue, category } = detail.classification;
  if (isIssue) outcome.issues[category] = (outcome.issues[category] ?? 0) + 1;
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
