import type { SocialPost } from '#contracts/social-post';
import * as z from '#contracts/zod';
import type { Ignored, IncomingPost } from '#platforms/webhook-platform';
import {
  checkedPost,
  decodeEntities,
  dedupeKeys,
  DisplayName,
  EpochMs,
  epochMsToIso,
  handle,
  ignore,
  Lang,
  languageHint,
  mentionList,
  postKind,
  postUrl,
  ScreenName,
  twitterDateToIso,
  TwitterDate,
  XId,
} from './normalise.ts';

/**
 * The v1.1 Tweet object as Account Activity delivers it (../shared/specs/webhooks.md §1.5), reduced
 * to the fields redress reads; the rest passes through unread. Numeric `id` fields are never read:
 * they are JSON numbers above 2^53 and lose digits in JavaScript, so every id comes from `*_str`.
 */
const UserMention = z.looseObject({
  id_str: z.nullish(XId),
  screen_name: z.nullish(ScreenName),
});

const Entities = z.looseObject({
  user_mentions: z.nullish(z.array(UserMention)),
});

export const TweetV1 = z.looseObject({
  id_str: XId,
  text: z.string(),
  truncated: z.nullish(z.boolean()),
  /** Posts over 280 characters: `text` is then the first part, ending in `…` and a t.co link. */
  extended_tweet: z.nullish(
    z.looseObject({
      full_text: z.nullish(z.string()),
      entities: z.nullish(Entities),
    }),
  ),
  created_at: z.nullish(TwitterDate),
  timestamp_ms: z.nullish(EpochMs),
  user: z.looseObject({
    id_str: XId,
    screen_name: z.nullish(ScreenName),
    name: z.nullish(DisplayName),
  }),
  in_reply_to_status_id_str: z.nullish(XId),
  quoted_status_id_str: z.nullish(XId),
  retweeted_status: z.nullish(z.unknown()),
  entities: z.nullish(Entities),
  lang: z.nullish(Lang),
});
export type TweetV1 = z.infer<typeof TweetV1>;

/**
 * One tweet_create_events entry as a post for the brand `forUserId`, or why it is skipped: the
 * brand's own posts and retweets are not complaints (§1.5 self-authored filter, §6.6).
 */
export function tweetV1ToPost(tweet: TweetV1, forUserId: string | undefined, path: readonly (string | number)[], now: Date): IncomingPost | Ignored {
  const id = tweet.id_str;
  if (tweet.retweeted_status != null) return ignore(`retweet ${dedupeKeys.post(id)} is not a new post`);
  if (forUserId !== undefined && tweet.user.id_str === forUserId) return ignore(`${dedupeKeys.post(id)} is the brand account's own post`);

  const longform = tweet.truncated === true && typeof tweet.extended_tweet?.full_text === 'string';
  const text = longform ? tweet.extended_tweet!.full_text! : tweet.text;
  const mentions = mentionsOf(longform ? [tweet.extended_tweet?.entities, tweet.entities] : [tweet.entities]);
  const inReplyToId = tweet.in_reply_to_status_id_str ?? undefined;

  const post: SocialPost = {
    platform: 'x',
    kind: postKind(inReplyToId !== undefined, forUserId !== undefined && mentions.some((mention) => mention.id === forUserId)),
    id,
    // v1.1 has no conversation id: the parent stands in for a reply; a post that replies to
    // nothing starts its own conversation, as v2's conversation_id says.
    threadId: inReplyToId ?? id,
    inReplyToId,
    quotedId: tweet.quoted_status_id_str ?? undefined,
    mentions: mentions.length > 0 ? mentions : undefined,
    author: { id: tweet.user.id_str, handle: handle(tweet.user.screen_name), name: tweet.user.name ?? undefined },
    text: decodeEntities(text),
    languageHint: languageHint(tweet.lang),
    createdAt: createdAt(tweet, now),
    url: postUrl(id, tweet.user.screen_name),
    brandAccountId: forUserId,
  };
  return checkedPost(post, dedupeKeys.post(id), path, {
    text: longform ? 'extended_tweet.full_text' : 'text',
    mentions: longform ? 'extended_tweet.entities.user_mentions' : 'entities.user_mentions',
    'author.handle': 'user.screen_name',
    'author.name': 'user.name',
    author: 'user',
    languageHint: 'lang',
    createdAt: tweet.timestamp_ms != null ? 'timestamp_ms' : 'created_at',
  });
}

/** A longform post lists its mentions under extended_tweet; the short form's come after, for any it lacks. */
function mentionsOf(sources: ReadonlyArray<z.infer<typeof Entities> | null | undefined>): NonNullable<SocialPost['mentions']> {
  return mentionList(sources.flatMap((entities) => entities?.user_mentions ?? []).map((mention) => ({ id: mention.id_str, screenName: mention.screen_name })));
}

/** `timestamp_ms` is exact and simplest; `created_at` otherwise; the receipt time when X sent neither. */
function createdAt(tweet: TweetV1, now: Date): string {
  if (tweet.timestamp_ms != null) return epochMsToIso(tweet.timestamp_ms);
  if (tweet.created_at != null) return twitterDateToIso(tweet.created_at) ?? now.toISOString();
  return now.toISOString();
}
