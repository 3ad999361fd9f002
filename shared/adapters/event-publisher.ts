import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { OutgoingEvent } from '#contracts/event-names';
import { mapWithLimit } from '#domain/concurrency';
import { PublishError } from '#domain/errors';
import type { EventPublisher } from '#domain/ports';
import { PUT_EVENTS_MAX_BYTES, PUT_EVENTS_MAX_ENTRIES, putEventsEntrySize } from './put-events-limits.ts';

// ../shared/specs/eventbridge.md §4: only these error codes are worth retrying.
const RETRYABLE = new Set(['InternalFailure', 'ThrottlingException']);
/** PutEvents calls in flight at once for one publish. */
const CONCURRENT_CALLS = 10;

interface Numbered {
  index: number;
  entry: PutEventsRequestEntry;
  /** Its size as PutEvents counts it: under the request limit. */
  bytes: number;
}

/**
 * PutEvents in request-sized batches. A partial failure is normal (§4), so failed entries are
 * retried on their own with backoff; if any still fail, `publish` throws a PublishError naming
 * every event not known to be handed on, and the caller must not report success for those (a
 * webhook answers 5xx so the platform retries; an enqueue is redelivered).
 */
export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
    private readonly retry = { attempts: 4, baseDelayMs: 50 },
  ) {}

  async publish(events: OutgoingEvent[]): Promise<void> {
    const numbered: Numbered[] = [];
    // An event EventBridge would refuse for its size is refused here, on its own: the others still
    // go, and the error names only it, since callers take every event it does not name as handed on.
    const oversize: Array<{ error: PublishError; unpublished: number[] }> = [];
    for (const [index, event] of events.entries()) {
      const entry = this.toEntry(event);
      const bytes = putEventsEntrySize(entry);
      if (bytes < PUT_EVENTS_MAX_BYTES) numbered.push({ index, entry, bytes });
      else oversize.push({ error: new PublishError(`an event of ${bytes} bytes is over EventBridge's 256 KB limit (${entry.DetailType})`, [index]), unpublished: [index] });
    }
    // A Meta delivery can carry 1,000 changes: 100 calls one after another would take seconds.
    const outcomes = await mapWithLimit(batches(numbered), CONCURRENT_CALLS, async (batch) => {
      const sending = { pending: batch };
      try {
        await this.publishBatch(sending);
        return undefined;
      } catch (error) {
        // What a call that throws (the SDK gave up on throttling, the network) sent may not be out,
        // so it is named; the entries an earlier attempt of the batch got through are, and are not.
        return { error, unpublished: error instanceof PublishError ? error.unpublished : sending.pending.map((item) => item.index) };
      }
    });
    const failures = [...oversize, ...outcomes.filter((outcome) => outcome !== undefined)];
    if (failures.length === 0) return;
    const first = failures[0]!.error;
    const message = first instanceof Error ? first.message : String(first);
    throw new PublishError(message, failures.flatMap((failure) => failure.unpublished).sort((a, b) => a - b));
  }

  /** One batch, its failed entries retried; `sending.pending` is always what is not yet known to be out. */
  private async publishBatch(sending: { pending: Numbered[] }): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const { pending } = sending;
      const result = await this.client.send(new PutEventsCommand({ Entries: pending.map((item) => item.entry) }));
      if (!result.FailedEntryCount) return;
      const failed = pending.flatMap((item, position) => {
        const outcome = result.Entries?.[position];
        return outcome?.ErrorCode ? [{ item, code: outcome.ErrorCode, message: outcome.ErrorMessage ?? '' }] : [];
      });
      const unpublished = failed.map((failure) => failure.item.index);
      const permanent = failed.find((failure) => !RETRYABLE.has(failure.code));
      if (permanent) throw new PublishError(`PutEvents rejected an event: ${permanent.code} ${permanent.message}`, unpublished);
      if (attempt >= this.retry.attempts) {
        throw new PublishError(`PutEvents still failed for ${failed.length} event(s) after ${attempt} attempts: ${failed[0]?.code}`, unpublished);
      }
      sending.pending = failed.map((failure) => failure.item);
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

/** Entries (each under the request limit) in request-sized groups, in order. */
function batches(entries: Numbered[]): Numbered[][] {
  const result: Numbered[][] = [];
  let current: Numbered[] = [];
  let currentBytes = 0;
  for (const item of entries) {
    const { bytes } = item;
    if (current.length === PUT_EVENTS_MAX_ENTRIES || currentBytes + bytes >= PUT_EVENTS_MAX_BYTES) {
      result.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(item);
    currentBytes += bytes;
  }
  if (current.length > 0) result.push(current);
  return result;
}
