import { PUT_EVENTS_MAX_BYTES, PUT_EVENTS_MAX_ENTRIES, putEventsEntrySize } from '#adapters/put-events-limits';
import * as z from '#contracts/zod';
import { EventBusApiError, validationError } from './errors.ts';
import { formatEventTime, type BusEvent } from './envelope.ts';

// §4: a null field is treated like a missing one, so a raw client sending `"Source": null` gets the
// same per-entry "required argument" error as the SDK omitting it.
const putEventsRequestEntrySchema = z.object({
  Source: z.nullish(z.string()),
  DetailType: z.nullish(z.string()),
  Detail: z.nullish(z.string()),
  Resources: z.nullish(z.array(z.string())),
  // The SDK sends timestamps as epoch seconds (AWS JSON 1.1); RFC3339 strings are accepted for curl users.
  Time: z.nullish(z.union([z.number(), z.string()])),
  EventBusName: z.nullish(z.string()),
  TraceHeader: z.nullish(z.string()),
});

export type PutEventsRequestEntry = z.infer<typeof putEventsRequestEntrySchema>;

export type PutEventsResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

export interface PutEventsResponse {
  FailedEntryCount: number;
  Entries: PutEventsResultEntry[];
}

// §4: at most 10 entries per request, totalling under 256 KB by the entry-size formula. The
// service checks the total and fails the whole request ("Total size of the entries in the
// request is over the limit."), so ten large events fail together even when each would pass alone.
/** §4: DetailType is free-form text of at most 128 characters. */
const MAX_DETAIL_TYPE_LENGTH = 128;

/**
 * Whole-request checks (§4). Too few or too many entries fail the call with ValidationException;
 * JSON of the wrong type fails it with SerializationException, as AWS JSON services do.
 */
export function parsePutEventsRequest(request: unknown): PutEventsRequestEntry[] {
  const entries = isObject(request) ? request.Entries : undefined;
  if (entries === undefined || entries === null) {
    throw validationError(
      "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null",
    );
  }
  if (Array.isArray(entries) && entries.length < 1) {
    throw validationError(
      "1 validation error detected: Value '[]' at 'entries' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  if (Array.isArray(entries) && entries.length > PUT_EVENTS_MAX_ENTRIES) {
    throw validationError(
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${PUT_EVENTS_MAX_ENTRIES}`,
    );
  }
  const parsed = z.array(putEventsRequestEntrySchema).safeParse(entries);
  if (!parsed.success) {
    throw new EventBusApiError('SerializationException', `Entries: ${z.prettifyError(parsed.error)}`);
  }
  const totalSize = parsed.data.reduce((sum, entry) => sum + putEventsEntrySize(entry), 0);
  if (totalSize >= PUT_EVENTS_MAX_BYTES) throw validationError('Total size of the entries in the request is over the limit.');
  return parsed.data;
}

export interface EntryContext {
  busName: string;
  busArn: string;
  account: string;
  region: string;
  now: Date;
  newEventId(): string;
}

export type EntryOutcome = { event: BusEvent } | { ErrorCode: string; ErrorMessage: string };

/**
 * Turns one request entry into the §5 envelope, or into the per-entry error §4 gives for it.
 * The checks run in a fixed order and the first failing one is reported.
 */
export function toBusEvent(entry: PutEventsRequestEntry, context: EntryContext): EntryOutcome {
  // §4: Source, DetailType and Detail are required; a missing one fails this entry only.
  for (const field of ['Source', 'DetailType', 'Detail'] as const) {
    if (!entry[field]) return invalidArgument(field, `${field} is a required argument.`);
  }
  const source = entry.Source!;
  const detailType = entry.DetailType!;
  const detailText = entry.Detail!;

  // §4: an unknown bus is reported per entry. Locally there is exactly one bus. An omitted
  // EventBusName means the account's default bus in AWS, where none of our rules live, so it is
  // reported here instead of being silently dropped.
  const requestedBus = entry.EventBusName || 'default';
  if (requestedBus !== context.busName && requestedBus !== context.busArn) {
    return {
      ErrorCode: 'ResourceNotFoundException',
      ErrorMessage: `Event bus ${busNameOf(requestedBus)} does not exist.`,
    };
  }

  // [UG-EVT] custom events may not claim an AWS service as their source.
  if (source.startsWith('aws.')) {
    return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' };
  }

  if (detailType.length > MAX_DETAIL_TYPE_LENGTH) {
    return invalidArgument('DetailType', `DetailType exceeds the maximum length of ${MAX_DETAIL_TYPE_LENGTH} characters.`);
  }

  const time = parseEntryTime(entry.Time, context.now);
  if (!time) return invalidArgument('Time', 'Time is not a valid timestamp.');

  // §4: Detail must be a string holding a JSON object; strings, arrays and malformed JSON are not.
  let detail: unknown;
  try {
    detail = JSON.parse(detailText);
  } catch {
    return malformedDetail();
  }
  if (!isObject(detail)) return malformedDetail();

  return {
    event: {
      version: '0',
      id: context.newEventId(),
      'detail-type': detailType,
      source,
      account: context.account,
      time: formatEventTime(time),
      region: context.region,
      resources: entry.Resources ?? [],
      detail,
    },
  };
}

function parseEntryTime(time: PutEventsRequestEntry['Time'], now: Date): Date | undefined {
  // §4: when Time is missing, the time of the PutEvents call is used.
  if (time === undefined || time === null) return now;
  const date = typeof time === 'number' ? new Date(time * 1000) : new Date(time);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function busNameOf(nameOrArn: string): string {
  const marker = ':event-bus/';
  const index = nameOrArn.indexOf(marker);
  return nameOrArn.startsWith('arn:') && index >= 0 ? nameOrArn.slice(index + marker.length) : nameOrArn;
}

function invalidArgument(parameter: string, reason: string): EntryOutcome {
  return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${parameter} is not valid. Reason: ${reason}` };
}

function malformedDetail(): EntryOutcome {
  return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
