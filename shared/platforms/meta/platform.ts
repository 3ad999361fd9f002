import type { WebhookPlatform } from '#platforms/webhook-platform';
import { parseMetaDelivery } from './delivery.ts';
import { answerMetaHandshake } from './handshake.ts';
import { assertMetaSignature } from './signature.ts';

export interface MetaSecrets {
  /** Every App Secret currently valid; more than one while a secret rotates. */
  appSecrets: string[];
  /** The Verify Token set in the App Dashboard's Webhooks product (../shared/specs/webhooks.md §2.1). */
  verifyToken: string;
}

/** Facebook Pages, Instagram and Messenger: one callback URL per app for every object (§2). */
export const metaPlatform: WebhookPlatform<MetaSecrets> = {
  name: 'meta',
  // Batches of up to 1,000 changes (§2.4). Lambda takes at most 6 MB per synchronous invocation,
  // event envelope included, so a larger body could not reach the function anyway.
  maxBodyBytes: 5 * 1024 * 1024,
  handshake: (query, secrets) => answerMetaHandshake(query, secrets.verifyToken),
  // Meta signs no timestamp, so there is no replay window to check (§0); dedupe keys absorb replays.
  verify: (headers, body, secrets) => assertMetaSignature(headers, body, secrets.appSecrets),
  parse: (body, now) => parseMetaDelivery(body, now),
};
