/** What every platform's signature check reads from a request and from the configuration. */

type Headers = Readonly<Record<string, string | undefined>>;

/** A header's value, whatever the case of its name (API Gateway lower-cases them; other callers may not). */
export function headerValue(headers: Headers, name: string): string | undefined {
  const exact = Object.hasOwn(headers, name) ? headers[name] : undefined;
  if (typeof exact === 'string') return exact;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name && typeof value === 'string') return value;
  }
  return undefined;
}

/** The configured secrets that can sign: an empty key would let anyone compute a valid HMAC. */
export function usableSecrets(secrets: readonly string[]): string[] {
  return secrets.filter((secret) => typeof secret === 'string' && secret.trim() !== '');
}
