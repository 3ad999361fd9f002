import type { QueueConfig } from '#contracts/config';
import { DetailType, EventSource, type PostClassifiedDetail } from '#contracts/events';
import type { SocialPost } from '#contracts/social-post';
import { classify } from '../classification/classify.ts';
import type { Clock, EventPublisher } from '../ports.ts';
import { chooseQueue } from '../routing/choose-queue.ts';

export interface IngestPorts {
  events: EventPublisher;
  queues: readonly QueueConfig[];
  coveredLanguages: readonly string[];
  now: Clock;
}

/** Classify a verified post, stamp the queue it belongs in, and hand it to the bus. */
export async function ingestPost(post: SocialPost, ports: IngestPorts): Promise<PostClassifiedDetail> {
  const classification = classify(post.text, { coveredLanguages: ports.coveredLanguages });
  const routed = { post, classification, receivedAt: ports.now().toISOString() };
  const detail: PostClassifiedDetail = { ...routed, queue: chooseQueue(routed, ports.queues) };
  await ports.events.publish([{ source: EventSource.ingest, detailType: DetailType.postClassified, detail }]);
  return detail;
}
