import type { SocialPost } from '#contracts/social-post';
import * as z from '#contracts/zod';
import { MetaId, clip, optionalString, quoteName } from './fields.ts';
import { type EntryContext, type ItemOutcome, handOn, ignore, malformed, unresolvedAuthor } from './outcome.ts';

/**
 * A `comments` or `live_comments` value, in either login variant (../shared/specs/webhooks.md
 * §2.7): the comment id is `id` (Instagram Login, real traffic) or `comment_id` (the Facebook
 * Login example); which one is current is unconfirmed, so both are read.
 */
export const InstagramComment = z.looseObject({
  id: z.optional(MetaId),
  comment_id: z.optional(MetaId),
  parent_id: z.optional(MetaId),
  from: z.optional(z.looseObject({ id: MetaId, username: optionalString })),
  text: z.optional(z.string()),
  media: z.optional(z.looseObject({ id: z.optional(MetaId) })),
});

/** A `mentions` value (Facebook Login only): the media whose caption, or the comment that, names the account. */
export const InstagramMention = z.looseObject({
  media_id: MetaId,
  comment_id: z.optional(MetaId),
});

/** One `object:"instagram"` change. Comments carry no time of their own (§2.7): they are dated by `entry.time`. */
export function mapInstagramChange(field: string, value: unknown, entry: EntryContext): ItemOutcome {
  switch (field) {
    case 'comments':
    case 'live_comments':
      return mapComment(field, value, entry);
    case 'mentions':
      return mapMention(value, entry);
    default:
      return ignore(`instagram field ${quoteName(field)} is not handled`);
  }
}

function mapComment(field: string, value: unknown, entry: EntryContext): ItemOutcome {
  const parsed = InstagramComment.safeParse(value);
  if (!parsed.success) return malformed(`instagram ${field} change`, parsed.error);
  const comment = parsed.data;
  const id = comment.id ?? comment.comment_id;
  if (id === undefined) return ignore('an instagram comment without id or comment_id');
  if (comment.from?.id === entry.accountId) return ignore('an instagram comment written by the account itself');

  const post: SocialPost = {
    platform: 'instagram',
    kind: comment.parent_id === undefined ? 'comment' : 'reply',
    id,
    threadId: comment.media?.id,
    inReplyToId: comment.parent_id,
    author: comment.from ? withHandle(comment.from) : unresolvedAuthor(id),
    text: clip(comment.text ?? '', 10_000),
    createdAt: entry.sentAt,
    brandAccountId: entry.accountId,
  };
  return handOn(post, `instagram:${id}`);
}

/** No text and no author are delivered with a mention (§2.7): both are fetched later by the id. */
function mapMention(value: unknown, entry: EntryContext): ItemOutcome {
  const parsed = InstagramMention.safeParse(value);
  if (!parsed.success) return malformed('instagram mentions change', parsed.error);
  const { media_id: mediaId, comment_id: commentId } = parsed.data;
  const id = commentId ?? mediaId;
  const post: SocialPost = {
    platform: 'instagram',
    kind: 'mention',
    id,
    threadId: mediaId,
    author: unresolvedAuthor(id),
    text: '',
    createdAt: entry.sentAt,
    brandAccountId: entry.accountId,
  };
  return handOn(post, `instagram:${id}`);
}

function withHandle(from: { id: string; username?: string | undefined }): SocialPost['author'] {
  return from.username === undefined ? { id: from.id } : { id: from.id, handle: clip(from.username, 256) };
}
