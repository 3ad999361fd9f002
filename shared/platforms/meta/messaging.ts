import type { SocialPost } from '#contracts/social-post';
import * as z from '#contracts/zod';
import { MetaId, clip, isoFromMetaTime, optionalString, optionalTime } from './fields.ts';
import { type EntryContext, type ItemOutcome, handOn, ignore, malformed } from './outcome.ts';

/** Messenger's items go to the `messenger` platform, Instagram's DMs stay `instagram`. */
export type MessagingPlatform = 'messenger' | 'instagram';

/** Items that carry one of these instead of `message` are not something a person wrote (../shared/specs/webhooks.md §2.8). */
const OTHER_EVENTS = [
  'delivery',
  'read',
  'reaction',
  'postback',
  'referral',
  'optin',
  'account_linking',
  'message_edit',
  'policy_enforcement',
  'pass_thread_control',
  'take_thread_control',
  'request_thread_control',
  'game_play',
] as const;

/** One `entry[].messaging[]` item with a message (§2.8). */
export const MessagingMessage = z.looseObject({
  sender: z.looseObject({ id: MetaId }),
  recipient: z.looseObject({ id: MetaId }),
  timestamp: optionalTime,
  message: z.looseObject({
    mid: MetaId,
    text: z.optional(z.string()),
    // Checked strictly: a misread flag would hand our own sends on as customer messages.
    is_echo: z.optional(z.boolean()),
    is_deleted: z.optional(z.boolean()),
    is_unsupported: z.catch(z.optional(z.boolean()), undefined),
    // Instagram story replies carry `reply_to.story` instead of a `mid`.
    reply_to: z.catch(z.optional(z.looseObject({ mid: z.optional(MetaId) })), undefined),
    attachments: z.catch(z.optional(z.array(z.looseObject({ type: optionalString }))), undefined),
  }),
});
export type MessagingMessage = z.infer<typeof MessagingMessage>;

/**
 * One messaging item: a message from a person becomes a `direct_message` in the conversation
 * with that person; echoes of our own sends, delivery and read receipts, reactions and postbacks
 * are ignored with the reason.
 */
export function mapMessagingItem(item: unknown, platform: MessagingPlatform, entry: EntryContext): ItemOutcome {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return ignore('a messaging item that is not an object');
  if (!Object.hasOwn(item, 'message')) {
    const event = OTHER_EVENTS.find((key) => Object.hasOwn(item, key));
    return ignore(event ? `a messaging ${event} event is not a message` : 'a messaging item without a message');
  }
  const parsed = MessagingMessage.safeParse(item);
  if (!parsed.success) return malformed(`${platform} message`, parsed.error);
  const { sender, recipient, timestamp, message } = parsed.data;
  if (message.is_echo === true) return ignore(`an echo of a message the ${platform === 'messenger' ? 'Page' : 'account'} sent`);
  if (sender.id === entry.accountId) return ignore(`a message sent by the ${platform === 'messenger' ? 'Page' : 'account'} itself`);
  const sentAt = isoFromMetaTime(timestamp) ?? entry.sentAt;
  // Instagram marks an unsent message `is_deleted` (not in §2.8's sources; policy): a removal like any other.
  if (message.is_deleted === true) {
    return { removal: { platform, postId: message.mid, removedAt: sentAt, brandAccountId: recipient.id, dedupeKey: `${platform}:${message.mid}:removed` } };
  }

  const post: SocialPost = {
    platform,
    kind: 'direct_message',
    id: message.mid,
    threadId: sender.id,
    inReplyToId: message.reply_to?.mid,
    author: { id: sender.id },
    text: clip(textOf(message), 10_000),
    createdAt: sentAt,
    brandAccountId: recipient.id,
  };
  return handOn(post, `${platform}:${message.mid}`);
}

/** The text, or for a message with attachments only a short description such as `[image]` for the agent. */
function textOf(message: MessagingMessage['message']): string {
  if (message.text) return message.text;
  if (message.attachments && message.attachments.length > 0) {
    return message.attachments.map(({ type }) => `[${type !== undefined && /^[a-z_]{1,32}$/.test(type) ? type : 'attachment'}]`).join(' ');
  }
  return message.is_unsupported === true ? '[unsupported message]' : '';
}
