import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { platformSecretsReader, replyCredentialsReader } from '#adapters/secrets';

const secretsManager = mockClient(SecretsManagerClient);
// Powertools caches per secret name for the life of the module: each test reads a secret of its own.
let arnCount = 0;
const nextArn = () => `arn:aws:secretsmanager:us-east-1:000000000000:secret:redress-platforms-${++arnCount}`;

beforeEach(() => {
  vi.stubEnv('AWS_REGION', 'us-east-1');
  secretsManager.reset();
});
afterEach(() => {
  secretsManager.reset();
  vi.unstubAllEnvs();
});

describe('the platform secrets in AWS (one Secrets Manager secret read through Powertools Parameters)', () => {
  it('reads the JSON document by its ARN and splits each list, so a rotating secret is accepted under both values', async () => {
    const arn = nextArn();
    secretsManager.on(GetSecretValueCommand, { SecretId: arn }).resolves({
      SecretString: JSON.stringify({ WEBHOOK_SECRETS: 'whsec_b2xk, whsec_bmV3', X_CONSUMER_SECRET: 'x-old,x-new', META_APP_SECRET: 'meta', META_VERIFY_TOKEN: ' token ' }),
    });
    const secrets = await platformSecretsReader({ PLATFORM_SECRETS_ARN: arn })();
    expect(secrets).toEqual({ standardWebhooks: ['whsec_b2xk', 'whsec_bmV3'], xConsumer: ['x-old', 'x-new'], metaApp: ['meta'], metaVerifyToken: 'token' });
  });

  it('asks Secrets Manager once for many requests: the value is cached for five minutes', async () => {
    const arn = nextArn();
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ WEBHOOK_SECRETS: 'whsec_b2xk' }) });
    const read = platformSecretsReader({ PLATFORM_SECRETS_ARN: arn });
    for (let request = 0; request < 3; request++) expect((await read()).standardWebhooks).toEqual(['whsec_b2xk']);
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('ignores the environment values once an ARN is set: only the secret counts in AWS', async () => {
    const arn = nextArn();
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({}) });
    const secrets = await platformSecretsReader({ PLATFORM_SECRETS_ARN: arn, WEBHOOK_SECRETS: 'whsec_ZW52' })();
    expect(secrets.standardWebhooks).toEqual([]);
  });

  it('fails with the ARN and what is wrong when the secret is not a JSON object of strings', async () => {
    const arn = nextArn();
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ WEBHOOK_SECRETS: ['whsec_b2xk'] }) });
    await expect(platformSecretsReader({ PLATFORM_SECRETS_ARN: arn })()).rejects.toThrow(new RegExp(`secret ${arn} is not a JSON object of strings[\\s\\S]*WEBHOOK_SECRETS`));
  });

  it('gives the reply function its tokens from the same secret', async () => {
    const arn = nextArn();
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ X_ACCESS_TOKEN: ' x-token ', META_PAGE_ACCESS_TOKEN: 'page-token' }) });
    expect(await replyCredentialsReader({ PLATFORM_SECRETS_ARN: arn })()).toEqual({ xAccessToken: 'x-token', metaPageAccessToken: 'page-token' });
  });
});

describe('the platform secrets locally (environment variables)', () => {
  it('come from the environment without calling Secrets Manager', async () => {
    const secrets = await platformSecretsReader({ WEBHOOK_SECRETS: 'whsec_b2xk,whsec_bmV3', META_VERIFY_TOKEN: 'verify' })();
    expect(secrets).toEqual({ standardWebhooks: ['whsec_b2xk', 'whsec_bmV3'], xConsumer: [], metaApp: [], metaVerifyToken: 'verify' });
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });
});
