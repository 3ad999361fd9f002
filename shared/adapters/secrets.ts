import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import * as z from '#contracts/zod';
import type { ReplyCredentials } from '#platforms/replies/reply-sender';

/** Every platform's secrets, as the webhook function uses them. */
export interface PlatformSecrets {
  /** Standard Webhooks `whsec_...` secrets (WEBHOOK_SECRETS). */
  standardWebhooks: string[];
  /** X app consumer secrets (X_CONSUMER_SECRET); the first answers CRC checks. */
  xConsumer: string[];
  /** Meta app secrets (META_APP_SECRET). */
  metaApp: string[];
  /** The token Meta's verification request must carry (META_VERIFY_TOKEN); empty when not set. */
  metaVerifyToken: string;
}

/** The Secrets Manager secret in AWS: one JSON document, each value comma-separated where several are allowed. */
const SecretDocument = z.object({
  WEBHOOK_SECRETS: z.optional(z.string()),
  X_CONSUMER_SECRET: z.optional(z.string()),
  META_APP_SECRET: z.optional(z.string()),
  META_VERIFY_TOKEN: z.optional(z.string()),
  /** The reply function's: an OAuth 2.0 user token of the brand's X account. */
  X_ACCESS_TOKEN: z.optional(z.string()),
  /** The reply function's: a Page access token (the Page, its Instagram account, Messenger). */
  META_PAGE_ACCESS_TOKEN: z.optional(z.string()),
});
type SecretDocument = z.infer<typeof SecretDocument>;
type SecretSource = SecretDocument & { PLATFORM_SECRETS_ARN?: string };

const MAX_AGE_SECONDS = 300;

/**
 * Where the secrets come from. In AWS the function gets only the ARN of one Secrets Manager
 * secret and reads it through Powertools Parameters (cached for five minutes, so a rotated value
 * is picked up without a deploy); locally each value comes from its environment variable.
 */
export function platformSecretsReader(env: SecretSource): () => Promise<PlatformSecrets> {
  if (!env.PLATFORM_SECRETS_ARN) {
    // Locally the environment never changes: split the lists once, not on every request.
    const secrets = fromDocument(env);
    return async () => secrets;
  }
  const read = documentReader(env);
  return async () => fromDocument(await read());
}

/** The reply function's credentials, from the same secret (or the environment locally). */
export function replyCredentialsReader(env: SecretSource): () => Promise<ReplyCredentials> {
  const read = documentReader(env);
  return async () => {
    const document = await read();
    return { xAccessToken: document.X_ACCESS_TOKEN?.trim() ?? '', metaPageAccessToken: document.META_PAGE_ACCESS_TOKEN?.trim() ?? '' };
  };
}

function documentReader(env: SecretSource): () => Promise<SecretDocument> {
  const arn = env.PLATFORM_SECRETS_ARN;
  if (!arn) return async () => env;
  return async () => {
    // Imported statically: an import() here made esbuild wrap every SDK module the handler
    // shares with Powertools Parameters in a lazy initialiser, which cost the webhook bundle
    // 20 KiB and its import about 4 ms (bench/lazy-imports.ts; test/infra/bundle-graph.test.ts guards it).
    const value = await getSecret(arn, { maxAge: MAX_AGE_SECONDS, transform: 'json' });
    const document = SecretDocument.safeParse(value);
    if (!document.success) throw new Error(`secret ${arn} is not a JSON object of strings: ${z.prettifyError(document.error)}`);
    return document.data;
  };
}

function fromDocument(document: SecretDocument): PlatformSecrets {
  return {
    standardWebhooks: splitSecretList(document.WEBHOOK_SECRETS),
    xConsumer: splitSecretList(document.X_CONSUMER_SECRET),
    metaApp: splitSecretList(document.META_APP_SECRET),
    metaVerifyToken: document.META_VERIFY_TOKEN?.trim() ?? '',
  };
}

/** A comma-separated secret list (several at once while a secret rotates). */
export function splitSecretList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}
