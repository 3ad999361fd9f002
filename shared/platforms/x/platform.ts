import type { WebhookPlatform } from '#platforms/webhook-platform';
import { answerCrc } from './crc.ts';
import { parseXDelivery } from './delivery.ts';
import { assertXSignature } from './signature.ts';

/** The app's consumer secrets (X_CONSUMER_SECRET). The first is current and answers CRCs; verification accepts any, so one can rotate. */
export interface XSecrets {
  consumerSecrets: string[];
}

/** X's webhook contract (../shared/specs/webhooks.md §1): CRC on GET, HMAC-signed POSTs from AAA, XAA and filtered stream. */
export const xPlatform: WebhookPlatform<XSecrets> = {
  name: 'x',
  // AAA batches tweets, each carrying user and entity objects; 1 MiB is ample and still bounded.
  maxBodyBytes: 1024 * 1024,
  handshake: (query, secrets) => answerCrc(query, secrets.consumerSecrets),
  verify: (headers, body, secrets) => assertXSignature(headers, body, secrets.consumerSecrets),
  parse: parseXDelivery,
};
