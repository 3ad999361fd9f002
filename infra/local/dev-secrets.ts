/**
 * Development secrets for the local stack and the CLI, printed at start. Each is overridden by
 * the environment variable of the same name; in AWS none of them exists (Secrets Manager holds
 * the real ones).
 */
export const DEV_SECRETS = {
  /** `whsec_` + base64 of 32 fixed bytes. */
  WEBHOOK_SECRETS: `whsec_${Buffer.from('redress-local-dev-webhook-secret').toString('base64')}`,
  X_CONSUMER_SECRET: 'redress-local-dev-x-consumer-secret',
  META_APP_SECRET: 'redress-local-dev-meta-app-secret',
  META_VERIFY_TOKEN: 'redress-local-dev-meta-verify-token',
  /** What the reply function sends to the X API (the fake platform locally) as its bearer token. */
  X_ACCESS_TOKEN: 'redress-local-dev-x-access-token',
  META_PAGE_ACCESS_TOKEN: 'redress-local-dev-meta-page-access-token',
  LOCAL_JWT_SECRET: 'redress-local-dev-only-jwt-secret-do-not-deploy',
} as const;

export type DevSecretName = keyof typeof DEV_SECRETS;

/** The value in use: the environment's, or the development default. */
export function devSecret(name: DevSecretName, env: Record<string, string | undefined> = process.env): string {
  return env[name] || DEV_SECRETS[name];
}
