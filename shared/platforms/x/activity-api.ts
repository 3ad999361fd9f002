import * as z from '#contracts/zod';
import type { ParsedDelivery } from '#platforms/webhook-platform';
import { DirectMessageEvent, directMessagesToPosts, DirectMessageUsers } from './direct-messages.ts';
import { dedupeKeys, emptyDelivery, ignore, parseAt, record, XId } from './normalise.ts';
import { Includes, includedUsers, PostV2, postV2ToPost } from './post-v2.ts';

/**
 * X Activity API deliveries: `{"data":{event_type, filter:{user_id}, payload, includes}}`, one
 * event per body (../shared/specs/webhooks.md §1.6). The subscription's `filter.user_id` is the
 * brand account.
 */
export const ActivityEnvelope = z.looseObject({
  data: z.looseObject({
    event_type: z.string().check(z.maxLength(128)),
    event_uuid: z.nullish(z.string().check(z.maxLength(128))),
    filter: z.nullish(z.looseObject({ user_id: z.nullish(XId) })),
    payload: z.optional(z.unknown()),
    includes: z.nullish(Includes),
  }),
  includes: z.nullish(Includes),
});

/** Post events whose payload is someone's post. `post.create` by the brand itself is dropped as its own post. */
const POST_EVENTS = new Set(['post.create', 'post.mention.create', 'post.reply.create', 'post.quote.create']);

const DeletedPost = z.looseObject({ id: XId });

/** dm.* events reuse the legacy direct_message_events + users shape inside `payload` (§1.6). */
const DirectMessagePayload = z.looseObject({
  direct_message_events: z.array(DirectMessageEvent),
  users: z.nullish(DirectMessageUsers),
});

const PAYLOAD = ['data', 'payload'] as const;

export function activityToDelivery(body: unknown, now: Date): ParsedDelivery {
  const { data, includes } = parseAt(ActivityEnvelope, body, []);
  const eventType = data.event_type;
  const brandId = data.filter?.user_id ?? undefined;
  const users = includedUsers(data.includes, includes);
  const delivery = emptyDelivery();

  if (POST_EVENTS.has(eventType)) {
    record(delivery, postV2ToPost(parseAt(PostV2, data.payload, PAYLOAD), { brandId, users, eventType }, PAYLOAD, now));
  } else if (eventType === 'post.delete') {
    const { id } = parseAt(DeletedPost, data.payload, PAYLOAD);
    // The envelope carries no deletion time, so the time it reached us stands in.
    delivery.removals.push({ platform: 'x', postId: id, removedAt: now.toISOString(), brandAccountId: brandId, dedupeKey: dedupeKeys.removal(id) });
  } else if (eventType === 'dm.received') {
    const payload = parseAt(DirectMessagePayload, data.payload, PAYLOAD);
    // Authors missing from the payload's own users map may still be in `includes`.
    const known: DirectMessageUsers = Object.fromEntries(users.map((user) => [user.id, { screen_name: user.username, name: user.name }]));
    const outcomes = directMessagesToPosts(payload.direct_message_events, { ...known, ...payload.users }, brandId, [...PAYLOAD, 'direct_message_events'], now);
    outcomes.forEach((outcome) => record(delivery, outcome));
  } else if (eventType === 'post.repost.create') {
    delivery.ignored.push(ignore('post.repost.create: a repost is not a new post'));
  } else if (eventType === 'dm.sent') {
    delivery.ignored.push(ignore('dm.sent: a message the brand account sent'));
  } else {
    delivery.ignored.push(ignore(`X Activity event ${eventType} is not handled`));
  }
  return delivery;
}
