/**
 * Where secrets come from. In AWS a function gets only the ARN of a Secrets Manager secret and
 * reads it through Powertools Parameters (cached for five minutes, so a rotated value is picked
 * up without a deploy); locally the value itself comes from an environment variable.
 */
export interface SecretSource {
  /** Local: the secret value in the environment. */
  value?: string;
  /** AWS: the Secrets Manager secret to read. */
  arn?: string;
}

const MAX_AGE_SECONDS = 300;

export function secretReader(name: string, source: SecretSource): () => Promise<string> {
  const { value, arn } = source;
  if (arn) {
    return async () => {
      // Loaded on first use, so functions that never need a secret do not pay its import.
      const { getSecret } = await import('@aws-lambda-powertools/parameters/secrets');
      const secret = await getSecret(arn, { maxAge: MAX_AGE_SECONDS });
      if (typeof secret !== 'string' || secret === '') throw new Error(`secret ${name} (${arn}) is empty or not a string`);
      return secret;
    };
  }
  if (value) return async () => value;
  throw new Error(`${name} is not configured: set ${name} locally, or ${name}_ARN to a Secrets Manager secret in AWS`);
}

/** A comma-separated secret list (several at once while a secret rotates). */
export function splitSecretList(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}
