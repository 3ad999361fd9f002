import { AuthenticationError } from '#domain/errors';
import { parseJson } from '#middleware/validation';
import type { WebhookPlatform } from '../webhook-platform.ts';
import { GenericPostDelivery, toSocialPost } from './delivery.ts';
import { assertStandardWebhook } from './signature.ts';

export interface StandardWebhooksSecrets {
  /** `whsec_...` values; any of them verifies (rotation). */
  secrets: string[];
}

/** POST /webhooks/generic: one post per delivery in our schema v1, from any Standard Webhooks sender. */
export const standardWebhooksPlatform: WebhookPlatform<StandardWebhooksSecrets> = {
  name: 'generic',
  // One post with its metadata is a few KB; this leaves room without inviting abuse.
  maxBodyBytes: 256 * 1024,
  verify(headers, body, { secrets }, now) {
    if (secrets.length === 0) throw new AuthenticationError('no Standard Webhooks secret is configured (WEBHOOK_SECRETS)');
    assertStandardWebhook(headers, body, secrets, now);
  },
  parse(body) {
    const post = toSocialPost(parseJson(GenericPostDelivery, body, 'the post'));
    // The sender's post id identifies the post across retries (which reuse the webhook-id) and resends.
    return { posts: [{ post, dedupeKey: `generic:${post.source ?? ''}:${post.id}` }], removals: [], ignored: [] };
  },
};
