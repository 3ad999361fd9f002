/** Where `npm start` serves the local EventBridge unless EVENTBRIDGE_PORT says otherwise. */
export function defaultBusUrl(env: Record<string, string | undefined> = process.env): string {
  return env.EVENTBRIDGE_ENDPOINT || `http://127.0.0.1:${env.EVENTBRIDGE_PORT || '4010'}`;
}

/** How long one call to the bus may take before we say it did not answer. */
export const REQUEST_TIMEOUT_MS = 30_000;

/** The bus could not be reached at all, or answered in a way only something else would. */
export class BusUnreachableError extends Error {
  override readonly name = 'BusUnreachableError';
}

/**
 * A message a person can act on for a request that got no answer: the network code (ECONNREFUSED,
 * ENOTFOUND, a timeout) and what usually causes it here.
 */
export function unreachable(url: string, error: unknown): BusUnreachableError {
  const code = networkCode(error);
  return new BusUnreachableError(
    `cannot reach the event bus at ${url} (${code}): is npm start running? Start it in another terminal, ` +
      'or point --url (or EVENTBRIDGE_ENDPOINT) at the bus it prints under "EventBridge".',
  );
}

/** The socket's error code (ECONNREFUSED...), else the innermost message ("bad port"). */
function networkCode(error: unknown): string {
  const seen = new Set<unknown>();
  let current: unknown = error;
  let message = error instanceof Error ? error.message : String(error);
  // fetch wraps the socket error in `cause`; happy eyeballs wraps several in an AggregateError.
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    seen.add(current);
    const { code, name, errors, cause } = current as { code?: unknown; name?: unknown; errors?: unknown; cause?: unknown };
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
    if (name === 'TimeoutError') return `no answer in ${REQUEST_TIMEOUT_MS / 1000} s`;
    if (current instanceof Error && current.message) message = current.message;
    current = cause ?? (Array.isArray(errors) ? errors[0] : undefined);
  }
  return message;
}
