/**
 * PutEvents' limits (../shared/specs/eventbridge.md §4), one definition for the publisher that
 * must stay within them and the local bus that enforces them.
 */
export const PUT_EVENTS_MAX_ENTRIES = 10;
/** The entries of one request must total less than this, by `putEventsEntrySize`. */
export const PUT_EVENTS_MAX_BYTES = 256 * 1024;

export interface SizedEntry {
  Source?: string | null;
  DetailType?: string | null;
  Detail?: string | null;
  Resources?: string[] | null;
  Time?: unknown;
}

/** §4 "Calculating PutEvents event entry size": 14 bytes for a Time, plus the UTF-8 bytes of the texts. */
export function putEventsEntrySize(entry: SizedEntry): number {
  let size = entry.Time === undefined || entry.Time === null ? 0 : 14;
  for (const text of [entry.Source, entry.DetailType, entry.Detail, ...(entry.Resources ?? [])]) {
    if (text) size += Buffer.byteLength(text, 'utf8');
  }
  return size;
}
