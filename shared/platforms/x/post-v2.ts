import type { SocialPost } from '#contracts/social-post';
import * as z from '#contracts/zod';
import type { Ignored, IncomingPost } from '#platforms/webhook-platform';
import { checkedPost, decodeEntities, dedupeKeys, DisplayName, handle, ignore, Lang, languageHint, mentionList, missing, postKind, postUrl, ScreenName, XId } from './normalise.ts';

/**
 * The v2 Post object, as the X Activity API (`payload`, ../shared/specs/webhooks.md §1.6) and
 * filtered-stream webhooks (`data`, §1.7) deliver it, reduced to the fields redress reads. Which
 * optional fields arrive depends on the `*.fields` and `expansions` chosen when subscribing.
 */
const Mentions = z.nullish(
  z.array(
    z.looseObject({
      username: z.nullish(ScreenName),
      id: z.nullish(XId),
    }),
  ),
);

export const PostV2 = z.looseObject({
  id: XId,
  text: z.string(),
  created_at: z.nullish(z.iso.datetime({ offset: true })),
  author_id: z.nullish(XId),
  conversation_id: z.nullish(XId),
  in_reply_to_tweet_id: z.nullish(XId),
  referenced_tweets: z.nullish(z.array(z.looseObject({ type: z.string().check(z.maxLength(64)), id: XId }))),
  entities: z.nullish(z.looseObject({ mentions: Mentions })),
  /** Longform posts: v2 cuts `text` and puts the whole post here (whether XAA sends it is unconfirmed, §1.6). */
  note_tweet: z.nullish(z.looseObject({ text: z.string(), entities: z.nullish(z.looseObject({ mentions: Mentions })) })),
  lang: z.nullish(Lang),
});
export type PostV2 = z.infer<typeof PostV2>;

const UserV2 = z.looseObject({
  id: XId,
  username: z.nullish(ScreenName),
  name: z.nullish(DisplayName),
});
export type UserV2 = z.infer<typeof UserV2>;

/** `includes`: XAA wraps each user as `{"data":{…}}` in some events (post.delete, dm.*) and not in others (§1.6). */
export const Includes = z.looseObject({
  users: z.nullish(z.array(z.union([UserV2, z.pipe(z.looseObject({ data: UserV2 }), z.transform((wrapped) => wrapped.data))]))),
});
export type Includes = z.infer<typeof Includes>;

export function includedUsers(...includes: ReadonlyArray<Includes | null | undefined>): UserV2[] {
  return includes.flatMap((include) => include?.users ?? []);
}

export interface PostV2Context {
  /** The account the subscription is for (XAA `filter.user_id`); unknown for filtered stream. */
  brandId?: string;
  users: readonly UserV2[];
  /** The XAA event type, which says "reply" or "mention" even when the payload's fields do not. */
  eventType?: string;
}

/** A v2 Post as a post for the brand, or why it is skipped: reposts and the brand's own posts (§6.6). */
export function postV2ToPost(payload: PostV2, context: PostV2Context, path: readonly (string | number)[], now: Date): IncomingPost | Ignored {
  const id = payload.id;
  const referenced = (type: string) => payload.referenced_tweets?.find((reference) => reference.type === type)?.id;
  if (referenced('retweeted') !== undefined) return ignore(`repost ${dedupeKeys.post(id)} is not a new post`);
  const authorId = payload.author_id;
  if (authorId == null) throw missing([...path, 'author_id'], 'a post needs its author_id (add it to the subscription\'s tweet.fields)');
  const { brandId } = context;
  if (brandId !== undefined && authorId === brandId) return ignore(`${dedupeKeys.post(id)} is the brand account's own post`);

  const author = context.users.find((user) => user.id === authorId);
  const brandUsername = brandId === undefined ? undefined : context.users.find((user) => user.id === brandId)?.username?.toLowerCase();
  const text = payload.note_tweet?.text ?? payload.text;
  const mentions = mentionsOf(payload);
  const inReplyToId = payload.in_reply_to_tweet_id ?? referenced('replied_to');
  const mentionsBrand =
    context.eventType === 'post.mention.create' ||
    mentions.some((mention) => (brandId !== undefined && mention.id === brandId) || (brandUsername !== undefined && mention.handle?.toLowerCase() === `@${brandUsername}`));

  const post: SocialPost = {
    platform: 'x',
    kind: postKind(inReplyToId !== undefined || context.eventType === 'post.reply.create', mentionsBrand),
    id,
    threadId: payload.conversation_id ?? inReplyToId,
    inReplyToId,
    quotedId: referenced('quoted'),
    mentions: mentions.length > 0 ? mentions : undefined,
    author: { id: authorId, handle: handle(author?.username), name: author?.name ?? undefined },
    text: decodeEntities(text),
    languageHint: languageHint(payload.lang),
    createdAt: payload.created_at != null ? new Date(payload.created_at).toISOString() : now.toISOString(),
    url: postUrl(id, author?.username),
    brandAccountId: brandId,
  };
  return checkedPost(post, dedupeKeys.post(id), path, {
    text: payload.note_tweet ? 'note_tweet.text' : 'text',
    mentions: payload.note_tweet?.entities ? 'note_tweet.entities.mentions' : 'entities.mentions',
    author: 'author_id',
    languageHint: 'lang',
    createdAt: 'created_at',
  });
}

/** A longform post lists its mentions under note_tweet; the short form's come after, for any it lacks. */
function mentionsOf(payload: PostV2): NonNullable<SocialPost['mentions']> {
  return mentionList(
    [...(payload.note_tweet?.entities?.mentions ?? []), ...(payload.entities?.mentions ?? [])].map((mention) => ({ id: mention.id, screenName: mention.username })),
  );
}
