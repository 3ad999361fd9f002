import * as z from './zod.ts';

/**
 * The normalised post every platform maps into (X, Meta, Standard Webhooks senders), so nothing
 * downstream of the webhook knows which platform a post came from except by `platform`.
 */
export const Platform = z.enum(['x', 'facebook', 'instagram', 'messenger', 'generic']);
export type Platform = z.infer<typeof Platform>;

export const PostKind = z.enum(['post', 'comment', 'reply', 'mention', 'direct_message']);
export type PostKind = z.infer<typeof PostKind>;

export const Author = z.object({
  id: z.string().check(z.minLength(1), z.maxLength(256)),
  handle: z.optional(z.string().check(z.maxLength(256))),
  name: z.optional(z.string().check(z.maxLength(256))),
});
export type Author = z.infer<typeof Author>;

export const SocialPost = z.object({
  platform: Platform,
  kind: PostKind,
  /** The platform's own id for the post; with `platform` it identifies the post everywhere. */
  id: z.string().check(z.minLength(1), z.maxLength(256)),
  /** Conversation, thread or parent-post id, where the platform has one. */
  threadId: z.optional(z.string().check(z.maxLength(256))),
  inReplyToId: z.optional(z.string().check(z.maxLength(256))),
  /** The post this one quotes, where the platform says so. */
  quotedId: z.optional(z.string().check(z.maxLength(256))),
  /** Accounts the post mentions (@handles), as the platform lists them. */
  mentions: z.optional(z.array(z.object({ id: z.optional(z.string()), handle: z.optional(z.string()) })).check(z.maxLength(100))),
  author: Author,
  /** Up to 25,000 characters: X Premium's longest post (EventBridge's 256 KB holds it, even as 4-byte UTF-8). */
  text: z.string().check(z.maxLength(25_000)),
  languageHint: z.optional(z.string().check(z.maxLength(35))),
  createdAt: z.iso.datetime({ offset: true }),
  /** Set when this is an edit of a post seen before: the time of the edit. */
  editedAt: z.optional(z.iso.datetime({ offset: true })),
  url: z.optional(z.url()),
  /** The brand account the post reached (an X user id, a Page id, an Instagram account id...). */
  brandAccountId: z.optional(z.string().check(z.maxLength(256))),
  /** For generic senders: the system that sent the post (e.g. "trustpilot"). */
  source: z.optional(z.string().check(z.maxLength(64))),
});
export type SocialPost = z.infer<typeof SocialPost>;
