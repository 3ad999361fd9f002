import { jwtVerify, SignJWT, type JWTPayload } from 'jose';

/** Local stand-in for the Cognito user pool: tokens signed with a local key (HS256). */
export const DEV_ISSUER = 'redress-local';
export const DEV_AUDIENCE = 'redress-support-api';

export interface DevTokenRequest {
  agent: string;
  name?: string;
  queues: string[];
  ttlSeconds: number;
}

/** A token with the claims a Cognito ID token carries: the agent, and its groups naming queues. */
export async function issueDevToken(request: DevTokenRequest, secret: string, now = new Date()): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({ name: request.name ?? request.agent, 'cognito:username': request.agent, 'cognito:groups': request.queues })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(request.agent)
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + request.ttlSeconds)
    .sign(new TextEncoder().encode(secret));
}

export async function verifyDevToken(token: string, secret: string): Promise<JWTPayload> {
  const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
    issuer: DEV_ISSUER,
    audience: DEV_AUDIENCE,
    algorithms: ['HS256'],
  });
  return payload;
}

/**
 * Claims as an HTTP API JWT authorizer hands them to the function: every value a string, a list
 * flattened to "[a b]" (so the function is tested against the shape it meets in AWS).
 */
export function flattenClaims(payload: JWTPayload): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([key, value]) => [key, Array.isArray(value) ? `[${value.join(' ')}]` : String(value)]),
  );
}
