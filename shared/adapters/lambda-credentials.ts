import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Stands in for `@aws-sdk/credential-provider-node` in function bundles (infra/bundling.ts).
 * Lambda hands a function its role's credentials in environment variables, the first place the
 * SDK's default chain looks; the chain's other providers (SSO, profiles, web identity, instance
 * metadata, with their nested STS and SSO clients) can never apply there, yet cost about 120 KB
 * of every bundle and their import time (`npm run bench`). The SDK's clients import only
 * `defaultProvider` from that package.
 */
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
