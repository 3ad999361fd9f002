import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { OutgoingEvent } from '#contracts/events';
import { PublishError } from '#domain/errors';
import { PUT_EVENTS_MAX_BYTES, PUT_EVENTS_MAX_ENTRIES, putEventsEntrySize } from './put-events-limits.ts';
import type { EventPublisher } from '#domain/ports';

// ../shared/specs/eventbridge.md §4: only these error codes are worth retrying.
const RETRYABLE = new Set(['InternalFailure', 'ThrottlingException']);

/**
 * PutEvents in batches of 10. A partial failure is normal (§4), so failed entries are retried
 * on their own with backoff; if any still fail, `publish` throws and the caller must not
 * report success (a webhook answers 5xx so the platform retries; an enqueue is redelivered).
 */
export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
    private readonly retry = { attempts: 4, baseDelayMs: 50 },
  ) {}

  async publish(events: OutgoingEvent[]): Promise<void> {
    for (const batch of batches(events.map((event) => this.toEntry(event)))) await this.publishBatch(batch);
  }

  private async publishBatch(entries: PutEventsRequestEntry[]): Promise<void> {
    let pending = entries;
    for (let attempt = 1; ; attempt++) {
      const result = await this.client.send(new PutEventsCommand({ Entries: pending }));
      if (!result.FailedEntryCount) return;
      const failed = pending.flatMap((entry, index) => {
        const outcome = result.Entries?.[index];
        return outcome?.ErrorCode ? [{ entry, code: outcome.ErrorCode, message: outcome.ErrorMessage ?? '' }] : [];
      });
      const permanent = failed.find((failure) => !RETRYABLE.has(failure.code));
      if (permanent) throw new PublishError(`PutEvents rejected an event: ${permanent.code} ${permanent.message}`);
      if (attempt >= this.retry.attempts) {
        throw new PublishError(`PutEvents still failed for ${failed.length} event(s) after ${attempt} attempts: ${failed[0]?.code}`);
      }
      pending = failed.map((failure) => failure.entry);
      const backoff = this.retry.baseDelayMs * 2 ** (attempt - 1);
      await new Promise((resolve) => setTimeout(resolve, backoff / 2 + Math.random() * backoff));
    }
  }

  private toEntry(event: OutgoingEvent): PutEventsRequestEntry {
    return {
      EventBusName: this.busName,
      Source: event.source,
      DetailType: event.detailType,
      Detail: JSON.stringify(event.detail),
    };
  }
}

/** Entries in request-sized groups, in order. */
function batches(entries: PutEventsRequestEntry[]): PutEventsRequestEntry[][] {
  const result: PutEventsRequestEntry[][] = [];
  let current: PutEventsRequestEntry[] = [];
  let currentBytes = 0;
  for (const entry of entries) {
    const bytes = putEventsEntrySize(entry);
    if (bytes >= PUT_EVENTS_MAX_BYTES) throw new PublishError(`an event of ${bytes} bytes is over EventBridge's 256 KB limit (${entry.DetailType})`);
    if (current.length === PUT_EVENTS_MAX_ENTRIES || currentBytes + bytes >= PUT_EVENTS_MAX_BYTES) {
      result.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(entry);
    currentBytes += bytes;
  }
  if (current.length > 0) result.push(current);
  return result;
}
