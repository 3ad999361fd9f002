import { Author, PostKind, type SocialPost } from '#contracts/social-post';
import * as z from '#contracts/zod';

/**
 * Our own post schema for Standard Webhooks senders, version 1 (documented in README.md,
 * "Sending posts from any source"). The envelope follows the Standard Webhooks recommendation
 * `{type, timestamp, data}`; a future incompatible version gets a new `type`.
 */
export const GenericPostDelivery = z.object({
  type: z.literal('post.created'),
  timestamp: z.iso.datetime({ offset: true }),
  data: z.object({
    id: z.string().check(z.minLength(1), z.maxLength(256)),
    kind: z._default(PostKind, 'post'),
    text: z.string().check(z.minLength(1), z.maxLength(10_000)),
    author: Author,
    createdAt: z.iso.datetime({ offset: true }),
    threadId: z.optional(z.string().check(z.maxLength(256))),
    inReplyToId: z.optional(z.string().check(z.maxLength(256))),
    url: z.optional(z.url({ protocol: /^https?$/ })),
    language: z.optional(z.string().check(z.maxLength(35))),
    account: z.optional(z.string().check(z.maxLength(256))),
    source: z.optional(z.string().check(z.maxLength(64))),
  }),
});
export type GenericPostDelivery = z.infer<typeof GenericPostDelivery>;

export function toSocialPost({ data }: GenericPostDelivery): SocialPost {
  return {
    platform: 'generic',
    kind: data.kind,
    id: data.id,
    threadId: data.threadId,
    inReplyToId: data.inReplyToId,
    author: data.author,
    text: data.text,
    languageHint: data.language,
    createdAt: data.createdAt,
    url: data.url,
    brandAccountId: data.account,
    source: data.source,
  };
}
