import * as z from '#contracts/zod';

/** How long one call to the support API may take before we say it did not answer. */
const REQUEST_TIMEOUT_MS = 15_000;

/** The support API did not answer, or answered with an error; the message says which, for a person. */
export class SupportApiError extends Error {
  override readonly name = 'SupportApiError';
}

/** GETs from the support API with the agent's token, and reads the answer as `schema` says it is. */
export function supportApiClient(baseUrl: string, token: string) {
  return async function get<Schema extends z.ZodMiniType>(path: string, schema: Schema): Promise<z.infer<Schema>> {
    const url = `${baseUrl}${path}`;
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      text = await response.text();
    } catch (error) {
      throw new SupportApiError(
        `cannot reach the support API at ${baseUrl} (${networkCode(error)}): is npm start running? ` +
          'Start it in another terminal, or point --url (or REDRESS_URL) at the HTTP API it prints.',
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!response.ok) throw new SupportApiError(`${path.split('?')[0]} answered ${response.status}: ${errorMessage(response.status, body, text)}`);
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new SupportApiError(`${url} answered ${response.status} with something other than the support API's answer: is --url the redress HTTP API?`);
    }
    return parsed.data;
  };
}

export type SupportApiGet = ReturnType<typeof supportApiClient>;

/** Our error body (`error`, `message`, `fields`), the authorizer's (`message`), or the start of whatever came. */
function errorMessage(status: number, body: unknown, text: string): string {
  const { message, fields } = (typeof body === 'object' && body !== null ? body : {}) as { message?: unknown; fields?: unknown };
  let said = typeof message === 'string' ? message : text.slice(0, 200) || '(no body)';
  if (Array.isArray(fields) && fields.length > 0) {
    said += ` (${fields.map((field: { path?: unknown; message?: unknown }) => `${String(field.path)}: ${String(field.message)}`).join('; ')})`;
  }
  if (status === 401) said += '; is the token for this stack? `npx redress token` makes one, signed with its LOCAL_JWT_SECRET';
  return said;
}

/** The socket's error code (ECONNREFUSED...), a timeout, or the innermost message. */
function networkCode(error: unknown): string {
  let current: unknown = error;
  let message = error instanceof Error ? error.message : String(error);
  // fetch wraps the socket error in `cause`.
  for (let depth = 0; typeof current === 'object' && current !== null && depth < 5; depth += 1) {
    const { code, name, cause } = current as { code?: unknown; name?: unknown; cause?: unknown };
    if (typeof code === 'string') return code;
    if (name === 'TimeoutError') return `no answer in ${REQUEST_TIMEOUT_MS / 1000} s`;
    if (current instanceof Error && current.message) message = current.message;
    current = cause;
  }
  return message;
}
