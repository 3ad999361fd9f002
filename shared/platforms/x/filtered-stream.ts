import * as z from '#contracts/zod';
import type { ParsedDelivery } from '#platforms/webhook-platform';
import { emptyDelivery, parseAt, record } from './normalise.ts';
import { Includes, includedUsers, PostV2, postV2ToPost } from './post-v2.ts';

/**
 * Filtered Stream Webhooks: `{"data":<v2 Post>,"includes":{"users":[…]},"matching_rules":[…]}`
 * (../shared/specs/webhooks.md §1.7). Posts matched by search rules reached no account in
 * particular, so no brand account is named and a post is never a mention: it is a post or a reply.
 */
export const FilteredStreamDelivery = z.looseObject({
  /** One Post per body in the docs' example; a list is read too, since batching is unconfirmed. */
  data: z.unknown(),
  includes: z.nullish(Includes),
  matching_rules: z.array(z.looseObject({})),
});

export function filteredStreamToDelivery(body: unknown, now: Date): ParsedDelivery {
  const { data, includes } = parseAt(FilteredStreamDelivery, body, []);
  const users = includedUsers(includes);
  const posts = Array.isArray(data)
    ? data.map((post, index) => ({ payload: parseAt(PostV2, post, ['data', index]), path: ['data', index] }))
    : [{ payload: parseAt(PostV2, data, ['data']), path: ['data'] }];
  const delivery = emptyDelivery();
  for (const { payload, path } of posts) {
    record(delivery, postV2ToPost(payload, { users }, path, now));
  }
  return delivery;
}
