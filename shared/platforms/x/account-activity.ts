import * as z from '#contracts/zod';
import type { IncomingPost, Ignored, ParsedDelivery } from '#platforms/webhook-platform';
import { DirectMessageEvent, directMessagesToPosts, DirectMessageUsers } from './direct-messages.ts';
import { dedupeKeys, emptyDelivery, EpochMs, epochMsToIso, ignore, missing, parseAt, record, XId } from './normalise.ts';
import { TweetV1, tweetV1ToPost } from './tweet-v1.ts';

/**
 * Account Activity bodies (v1.1 format, also sent by AAA v2): one JSON object with no type field,
 * told apart by which key is present (../shared/specs/webhooks.md §1.5).
 */

/** Event lists acknowledged and skipped: none of them is something a customer wrote. */
const SKIPPED_EVENTS = {
  favorite_events: 'likes',
  follow_events: 'follows and unfollows',
  block_events: 'blocks and unblocks',
  mute_events: 'mutes and unmutes',
  direct_message_indicate_typing_events: 'typing indicators',
  direct_message_mark_read_events: 'read receipts',
} as const;

/** The keys that make a body an Account Activity delivery, in the order they are read (§6.5). */
export const ACCOUNT_ACTIVITY_KEYS = [
  'tweet_create_events',
  'direct_message_events',
  'tweet_delete_events',
  ...(Object.keys(SKIPPED_EVENTS) as Array<keyof typeof SKIPPED_EVENTS>),
  'user_event',
] as const;

/**
 * A delete names the status by id. X documents it as a string; a number is taken only while it
 * is still exact in JavaScript.
 */
const StatusId = z.union([
  XId,
  z.pipe(
    z.int().check(z.nonnegative(), z.refine(Number.isSafeInteger, 'a numeric id above 2^53 has lost digits; expected a string')),
    z.transform(String),
  ),
]);

const TweetDeleteEvent = z.looseObject({
  status: z.looseObject({
    id_str: z.nullish(XId),
    id: z.nullish(StatusId),
  }),
  timestamp_ms: z.nullish(EpochMs),
});

const SkippedEventList = z.array(z.looseObject({}));

export const AccountActivityDelivery = z.looseObject({
  /** The subscribed (brand) account the event is for; absent in user_event (§1.5). */
  for_user_id: z.nullish(XId),
  tweet_create_events: z.optional(z.array(TweetV1)),
  direct_message_events: z.optional(z.array(DirectMessageEvent)),
  users: z.optional(DirectMessageUsers),
  tweet_delete_events: z.optional(z.array(TweetDeleteEvent)),
  favorite_events: z.optional(SkippedEventList),
  follow_events: z.optional(SkippedEventList),
  block_events: z.optional(SkippedEventList),
  mute_events: z.optional(SkippedEventList),
  direct_message_indicate_typing_events: z.optional(SkippedEventList),
  direct_message_mark_read_events: z.optional(SkippedEventList),
  user_event: z.optional(z.looseObject({})),
});

/** Every known key present is read, so nothing is dropped if X ever puts two in one body. */
export function accountActivityToDelivery(body: unknown, now: Date): ParsedDelivery {
  const activity = parseAt(AccountActivityDelivery, body, []);
  const brandId = activity.for_user_id ?? undefined;
  const delivery = emptyDelivery();
  const take = (outcome: IncomingPost | Ignored) => record(delivery, outcome);

  activity.tweet_create_events?.forEach((tweet, index) => take(tweetV1ToPost(tweet, brandId, ['tweet_create_events', index], now)));
  if (activity.direct_message_events) {
    directMessagesToPosts(activity.direct_message_events, activity.users, brandId, ['direct_message_events'], now).forEach(take);
  }
  activity.tweet_delete_events?.forEach((event, index) => {
    const postId = event.status.id_str ?? event.status.id;
    if (postId == null) {
      throw missing(['tweet_delete_events', index, 'status', 'id'], 'a deleted status needs its id');
    }
    delivery.removals.push({
      platform: 'x',
      postId,
      removedAt: event.timestamp_ms != null ? epochMsToIso(event.timestamp_ms) : now.toISOString(),
      brandAccountId: brandId,
      dedupeKey: dedupeKeys.removal(postId),
    });
  });
  for (const [key, what] of Object.entries(SKIPPED_EVENTS)) {
    const events = activity[key as keyof typeof SKIPPED_EVENTS];
    if (events) delivery.ignored.push(ignore(`${key}: ${what} are not handled (${events.length} event${events.length === 1 ? '' : 's'})`));
  }
  if (activity.user_event) delivery.ignored.push(ignore('user_event: the account revoked the app; X deletes the subscription itself'));
  return delivery;
}
