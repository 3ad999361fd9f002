import type { ParsedDelivery } from '#contracts/delivery';
import * as z from '#contracts/zod';
import { ValidationError } from '#domain/errors';
import { parseWith, readJson } from '#middleware/validation';
import { mapFeedChange } from './feed.ts';
import { MetaId, isoFromMetaTime, optionalTime, quoteName } from './fields.ts';
import { mapInstagramChange } from './instagram.ts';
import { mapMessagingItem } from './messaging.ts';
import { type EntryContext, type ItemOutcome, ignore, malformed } from './outcome.ts';

/**
 * The envelope every Meta delivery has (../shared/specs/webhooks.md §2.5). Only this is checked
 * strictly: a body without it is not a Meta delivery at all, and is refused whole.
 */
export const MetaEnvelope = z.object({
  object: z.string().check(z.maxLength(64)),
  entry: z.array(z.unknown()),
});

/**
 * One entry. An entry or item that does not fit is recorded as ignored with the reason, and the
 * rest of the batch goes on: the body is signed by Meta, so a retry would carry the same bytes,
 * and failing it would only make Meta resend up to 1,000 good updates for 36 hours and then drop
 * them all (§2.4).
 */
export const MetaEntry = z.looseObject({
  id: MetaId,
  time: optionalTime,
  changes: z.optional(z.array(z.unknown())),
  messaging: z.optional(z.array(z.unknown())),
  standby: z.optional(z.array(z.unknown())),
});

export const MetaChange = z.looseObject({
  field: z.string().check(z.maxLength(64)),
  value: z.unknown(),
});

/**
 * A verified Meta delivery, normalised: every change and messaging item of every entry becomes
 * exactly one post, removal or ignored item (§2.4). Throws ValidationError only when the body is
 * not JSON or has no `{object, entry[]}` envelope.
 */
export function parseMetaDelivery(body: Buffer, now: Date): ParsedDelivery {
  const envelope = parseWith(MetaEnvelope, readMetaJson(body), 'the Meta delivery');
  const delivery: ParsedDelivery = { posts: [], removals: [], ignored: [] };
  const record = (where: string, outcome: ItemOutcome) => {
    if ('post' in outcome) delivery.posts.push(outcome.post);
    else if ('removal' in outcome) delivery.removals.push(outcome.removal);
    else delivery.ignored.push({ reason: `${where}: ${outcome.ignored.reason}` });
  };

  envelope.entry.forEach((raw, index) => {
    const where = `entry ${index}`;
    const parsed = MetaEntry.safeParse(raw);
    if (!parsed.success) return record(where, malformed('entry', parsed.error));
    const { id, time, changes = [], messaging = [], standby = [] } = parsed.data;
    const entry: EntryContext = { accountId: id, sentAt: isoFromMetaTime(time) ?? now.toISOString() };
    if (changes.length + messaging.length + standby.length === 0) return record(where, ignore('an entry without changes or messaging'));

    changes.forEach((change, item) => record(`${where} change ${item}`, mapChange(envelope.object, change, entry)));
    messaging.forEach((message, item) => record(`${where} messaging ${item}`, mapMessaging(envelope.object, message, entry)));
    // Standby items belong to a conversation another app handles (Messenger handover protocol).
    standby.forEach((_, item) => record(`${where} standby ${item}`, ignore('a standby item belongs to a conversation another app handles')));
  });
  return delivery;
}

/** Route by `object` plus `field` (§6.5). */
function mapChange(object: string, raw: unknown, entry: EntryContext): ItemOutcome {
  const parsed = MetaChange.safeParse(raw);
  if (!parsed.success) return malformed('change', parsed.error);
  const { field, value } = parsed.data;
  if (object === 'page') return field === 'feed' ? mapFeedChange(value, entry) : ignore(`page field ${quoteName(field)} is not handled`);
  if (object === 'instagram') return mapInstagramChange(field, value, entry);
  return ignore(`object ${quoteName(object)} is not handled`);
}

function mapMessaging(object: string, raw: unknown, entry: EntryContext): ItemOutcome {
  if (object === 'page') return mapMessagingItem(raw, 'messenger', entry);
  if (object === 'instagram') return mapMessagingItem(raw, 'instagram', entry);
  return ignore(`object ${quoteName(object)} is not handled`);
}

/** The body as JSON; verification has already run over the same bytes (§6.3). */
// Ids are strings in Meta's current payloads; a numeric id beyond 2^53 (older payloads) cannot be
// read exactly by JSON.parse and is refused by `MetaId` rather than rounded (§2.5, §2.7).
export function readMetaJson(body: Buffer): unknown {
  return readJson(body, 'the Meta delivery');
}
