import type { SocialPost } from '#contracts/social-post';
import * as z from '#contracts/zod';
import type { Ignored, IncomingPost } from '#platforms/webhook-platform';
import { checkedPost, dedupeKeys, DisplayName, dmThreadId, EpochMs, epochMsToIso, handle, ignore, missing, ScreenName, XId } from './normalise.ts';

/**
 * The legacy direct-message shape: `direct_message_events` plus a `users` map keyed by id. Account
 * Activity sends it at the top level (../shared/specs/webhooks.md §1.5) and the X Activity API
 * inside `payload` of dm.* events (§1.6).
 */
export const DirectMessageEvent = z.looseObject({
  type: z.string().check(z.maxLength(64)),
  id: XId,
  created_timestamp: z.nullish(EpochMs),
  message_create: z.nullish(
    z.looseObject({
      target: z.looseObject({ recipient_id: XId }),
      sender_id: XId,
      message_data: z.looseObject({ text: z.string() }),
    }),
  ),
});
export type DirectMessageEvent = z.infer<typeof DirectMessageEvent>;

export const DirectMessageUsers = z.record(
  z.string(),
  z.looseObject({
    screen_name: z.nullish(ScreenName),
    name: z.nullish(DisplayName),
  }),
);
export type DirectMessageUsers = z.infer<typeof DirectMessageUsers>;

/**
 * Direct messages to the brand `brandId` as posts. Messages the brand sent come back as events
 * too (including ones redress sent), so those are echoes and skipped (§1.5 self-authored filter).
 */
export function directMessagesToPosts(
  events: readonly DirectMessageEvent[],
  users: DirectMessageUsers | null | undefined,
  brandId: string | undefined,
  path: readonly (string | number)[],
  now: Date,
): Array<IncomingPost | Ignored> {
  return events.map((event, index) => directMessageToPost(event, users ?? {}, brandId, [...path, index], now));
}

function directMessageToPost(
  event: DirectMessageEvent,
  users: DirectMessageUsers,
  brandId: string | undefined,
  path: readonly (string | number)[],
  now: Date,
): IncomingPost | Ignored {
  if (event.type !== 'message_create') return ignore(`direct message event of type ${event.type} is not a message`);
  const message = event.message_create;
  if (message == null) throw missing([...path, 'message_create'], 'a message_create event needs its message_create object');
  const senderId = message.sender_id;
  if (brandId !== undefined && senderId === brandId) return ignore(`${dedupeKeys.directMessage(event.id)} was sent by the brand account (echo)`);

  const sender = Object.hasOwn(users, senderId) ? users[senderId] : undefined;
  const post: SocialPost = {
    platform: 'x',
    kind: 'direct_message',
    id: event.id,
    threadId: dmThreadId(senderId, message.target.recipient_id),
    author: { id: senderId, handle: handle(sender?.screen_name), name: sender?.name ?? undefined },
    // Kept as received: the `&amp;` escaping redress undoes is documented for post text only.
    text: message.message_data.text,
    createdAt: event.created_timestamp != null ? epochMsToIso(event.created_timestamp) : now.toISOString(),
    brandAccountId: brandId ?? message.target.recipient_id,
  };
  return checkedPost(post, dedupeKeys.directMessage(event.id), path, {
    text: 'message_create.message_data.text',
    createdAt: 'created_timestamp',
  });
}
