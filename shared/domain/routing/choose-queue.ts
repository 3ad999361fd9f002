import type { QueueConfig } from '#contracts/config';
import { DetailType, EventSource } from '#contracts/event-names';
import type { PostClassifiedDetail } from '#contracts/events';
import { matchesEventPattern } from '#event-patterns/match';

/**
 * The first configured queue whose pattern matches the Post.Classified event, judged with the
 * same EventBridge semantics the bus applies; null when the post belongs in no queue.
 */
export function chooseQueue(detail: Omit<PostClassifiedDetail, 'queue'>, queues: readonly QueueConfig[]): string | null {
  const event = { source: EventSource.ingest, 'detail-type': DetailType.postClassified, detail };
  return queues.find((queue) => matchesEventPattern(queue.pattern, event))?.name ?? null;
}
