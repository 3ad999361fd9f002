import type { PostKind, SocialPost } from '#contracts/social-post';
import * as z from '#contracts/zod';
import { MetaId, clip, isoFromMetaTime, optionalString, optionalTime, quoteName } from './fields.ts';
import { type EntryContext, type ItemOutcome, handOn, ignore, malformed, unresolvedAuthor } from './outcome.ts';

/** What a person writes on a Page (../shared/specs/webhooks.md §2.6); reactions, likes, events and the rest are not. */
const WRITTEN_ITEMS = new Set(['comment', 'status', 'post', 'photo', 'video', 'share']);

/** Read first, so a reaction or like is ignored as one whatever else its value holds. */
const FeedHead = z.looseObject({ item: z.string(), verb: z.string() });

/** The `value` of a Page `feed` change, as captured from real traffic (§2.6). */
export const FeedChange = z.looseObject({
  item: z.string(),
  verb: z.string(),
  // `name` can be missing (e.g. on remove); without any author the post is kept, its author looked up later.
  from: z.optional(z.looseObject({ id: MetaId, name: optionalString })),
  // Older payloads named the author with `sender_id` (sometimes a number) and `sender_name` (§2.5).
  sender_id: z.optional(MetaId),
  sender_name: optionalString,
  post_id: z.optional(MetaId),
  comment_id: z.optional(MetaId),
  parent_id: z.optional(MetaId),
  // Absent on remove, and possibly on photo- or sticker-only comments (unconfirmed, §2.6).
  message: z.optional(z.string()),
  created_time: optionalTime,
  post: z.catch(z.optional(z.looseObject({ permalink_url: optionalString })), undefined),
});
export type FeedChange = z.infer<typeof FeedChange>;

const Permalink = z.url({ protocol: /^https?$/ });

/**
 * One Page `feed` change: a visitor post or a comment becomes a post (an edit the same post with
 * `editedAt`), a removal a Removal, and everything else is ignored with the reason.
 */
export function mapFeedChange(value: unknown, entry: EntryContext): ItemOutcome {
  const head = FeedHead.safeParse(value);
  if (!head.success) return malformed('feed change', head.error);
  const { item, verb } = head.data;
  if (!WRITTEN_ITEMS.has(item)) return ignore(`feed item ${quoteName(item)} is not something written on the Page`);

  const parsed = FeedChange.safeParse(value);
  if (!parsed.success) return malformed(`feed ${item} change`, parsed.error);
  const change = parsed.data;
  const id = item === 'comment' ? change.comment_id : change.post_id;
  if (id === undefined) return ignore(`a feed ${item} without ${item === 'comment' ? 'comment_id' : 'post_id'}`);

  // Recorded whoever `from` is: when the Page hides a complaint by removing it, the ticket should know.
  if (verb === 'remove') {
    return {
      removal: { platform: 'facebook', postId: id, removedAt: entry.sentAt, brandAccountId: entry.accountId, dedupeKey: `facebook:${id}:removed` },
    };
  }
  // `hide`/`unhide` are unconfirmed (§8); reactions' `edit` never gets here.
  if (verb !== 'add' && verb !== 'edited') return ignore(`feed verb ${quoteName(verb)} is not handled`);
  const from = change.from ?? (change.sender_id === undefined ? undefined : { id: change.sender_id, name: change.sender_name });
  if (from?.id === entry.accountId) return ignore(`a feed ${item} written by the Page itself`);

  const post: SocialPost = {
    platform: 'facebook',
    kind: kindOf(change),
    id,
    threadId: change.post_id,
    inReplyToId: change.parent_id,
    author: from ? withName(from) : unresolvedAuthor(id),
    text: clip(change.message ?? '', 10_000),
    createdAt: isoFromMetaTime(change.created_time) ?? entry.sentAt,
    url: permalink(change.post?.permalink_url),
    brandAccountId: entry.accountId,
  };
  if (verb === 'add') return handOn(post, `facebook:${id}`);
  // What `created_time` holds on an edit is unconfirmed, so the edit is dated by the notification
  // (`entry.time`). Each edit gets its own key; should Meta re-stamp a retry, an edit is handed
  // on twice, which is harmless, where a key from `created_time` might fold two edits into one
  // and drop the second.
  const editedAt = entry.sentAt;
  return handOn({ ...post, editedAt }, `facebook:${id}:edited:${Math.floor(Date.parse(editedAt) / 1000)}`);
}

/** A comment whose parent is another comment rather than the post is a reply (§2.6). */
function kindOf({ item, parent_id: parent, post_id: postId }: FeedChange): PostKind {
  if (item !== 'comment') return 'post';
  if (parent === undefined || parent === postId) return 'comment';
  // On photos and videos the parent can be the bare object id, without the `<pageid>_` prefix.
  return postId?.endsWith(`_${parent}`) ? 'comment' : 'reply';
}

function withName(from: { id: string; name?: string | undefined }): SocialPost['author'] {
  return from.name === undefined ? { id: from.id } : { id: from.id, name: clip(from.name, 256) };
}

function permalink(url: string | undefined): string | undefined {
  return url !== undefined && Permalink.safeParse(url).success ? url : undefined;
}
