import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuthenticationError } from '#domain/errors';
import { crcResponseToken, signXBody, verifyXSignature } from '#platforms/x/signature';
import { xPlatform } from '#platforms/x/platform';
import { CONSUMER_SECRET, NOW, PREVIOUS_CONSUMER_SECRET, xFixture } from './fixtures.ts';

// Vectors computed outside Node (Python's hmac module) for the spec's construction (§1.2, §1.3).
const CRC_TOKEN = 'NTVlYzI4ZjItZDY0Ny00ZWQ0LWE1YmUtODA4YTE2MGMwNWRl';
const CRC_ANSWER = 'sha256=GfBKBbV/lMIuCw3kkevMMRfwwtkhiYctlB6Xp3SW04g=';
const SMALL_BODY = '{"for_user_id":"1072583649001988096","tweet_create_events":[]}';
const SMALL_BODY_SIGNATURE = 'sha256=gJ2BM5wlXLJXJJWPhHBG9N+Cm4KmokhCyseLBDslRTM=';

const secrets = (...consumerSecrets: string[]) => ({ consumerSecrets });
const signed = (body: Buffer | string, secret = CONSUMER_SECRET) => ({ 'x-twitter-webhooks-signature': signXBody(body, secret) });

describe('X CRC response token', () => {
  it('is sha256= and the base64 HMAC-SHA256 of the token under the consumer secret', () => {
    expect(crcResponseToken(CRC_TOKEN, CONSUMER_SECRET)).toBe(CRC_ANSWER);
  });

  it('signs the token as received, not its base64-decoded bytes', () => {
    const decoded = Buffer.from(CRC_TOKEN, 'base64').toString('utf8');
    expect(decoded).toBe('55ec28f2-d647-4ed4-a5be-808a160c05de');
    expect(crcResponseToken(CRC_TOKEN, CONSUMER_SECRET)).not.toBe('sha256=S1Gi2LX7mnFN2219NkC7Sr707kHep8PyKDoQyApAyiY=');
  });
});

describe('X POST signature', () => {
  it('signs a body as X does: sha256= and the base64 HMAC-SHA256 of the raw bytes', () => {
    expect(signXBody(SMALL_BODY, CONSUMER_SECRET)).toBe(SMALL_BODY_SIGNATURE);
    expect(signXBody(Buffer.from(SMALL_BODY), CONSUMER_SECRET)).toBe(SMALL_BODY_SIGNATURE);
  });

  it('accepts a delivery signed with the consumer secret', () => {
    const body = xFixture('aaa-tweet-mention.json');
    expect(verifyXSignature(signed(body), body, [CONSUMER_SECRET])).toEqual({ ok: true });
    expect(() => xPlatform.verify(signed(body), body, secrets(CONSUMER_SECRET), NOW)).not.toThrow();
  });

  it('accepts a signature computed independently of signXBody', () => {
    const body = Buffer.from(SMALL_BODY);
    expect(verifyXSignature({ 'x-twitter-webhooks-signature': SMALL_BODY_SIGNATURE }, body, [CONSUMER_SECRET]).ok).toBe(true);
  });

  it('accepts a delivery signed with any configured secret, so the secret rotates without downtime', () => {
    const body = xFixture('aaa-dm-received.json');
    expect(() => xPlatform.verify(signed(body, PREVIOUS_CONSUMER_SECRET), body, secrets(CONSUMER_SECRET, PREVIOUS_CONSUMER_SECRET), NOW)).not.toThrow();
  });

  it('rejects a body changed by a single byte', () => {
    const body = xFixture('aaa-tweet-mention.json');
    const tampered = Buffer.from(body);
    tampered[body.indexOf('SK 214')] = 'X'.charCodeAt(0);
    expect(verifyXSignature(signed(body), tampered, [CONSUMER_SECRET])).toEqual({ ok: false, reason: 'x-twitter-webhooks-signature does not match' });
  });

  it('rejects a delivery signed with a secret that is not configured', () => {
    const body = xFixture('aaa-tweet-mention.json');
    expect(() => xPlatform.verify(signed(body, PREVIOUS_CONSUMER_SECRET), body, secrets(CONSUMER_SECRET), NOW)).toThrow(AuthenticationError);
  });

  it('verifies the exact bytes sent, not JSON re-serialised from them', () => {
    // The fixture escapes non-ASCII as \uXXXX and carries ids above 2^53: re-serialising changes both.
    const body = xFixture('aaa-tweet-mention.json');
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8')), null, 2));
    expect(verifyXSignature(signed(body), reserialised, [CONSUMER_SECRET]).ok).toBe(false);
  });

  it.each([
    ['no header at all', undefined, 'missing x-twitter-webhooks-signature header'],
    ['an empty header', '', 'missing x-twitter-webhooks-signature header'],
    ['no sha256= prefix', SMALL_BODY_SIGNATURE.slice('sha256='.length), 'malformed x-twitter-webhooks-signature header'],
    ['an upper-case prefix', SMALL_BODY_SIGNATURE.replace('sha256=', 'SHA256='), 'malformed x-twitter-webhooks-signature header'],
    ['hex instead of base64', `sha256=${createHmac('sha256', CONSUMER_SECRET).update(SMALL_BODY).digest('hex')}`, 'malformed x-twitter-webhooks-signature header'],
    ['base64url instead of base64', `sha256=${createHmac('sha256', CONSUMER_SECRET).update(SMALL_BODY).digest('base64url')}`, 'malformed x-twitter-webhooks-signature header'],
    ['a truncated value', SMALL_BODY_SIGNATURE.slice(0, -4), 'malformed x-twitter-webhooks-signature header'],
    ['a value with trailing garbage', `${SMALL_BODY_SIGNATURE}AAAA`, 'malformed x-twitter-webhooks-signature header'],
    ['a non-canonical last base64 character', SMALL_BODY_SIGNATURE.replace('M=', 'N='), 'malformed x-twitter-webhooks-signature header'],
    ['the signature of another body', signXBody('{}', CONSUMER_SECRET), 'x-twitter-webhooks-signature does not match'],
  ])('rejects %s', (_, header, reason) => {
    const headers = header === undefined ? {} : { 'x-twitter-webhooks-signature': header };
    expect(verifyXSignature(headers, Buffer.from(SMALL_BODY), [CONSUMER_SECRET])).toEqual({ ok: false, reason });
  });

  it('finds the header whatever its case, and among comma-joined repeats', () => {
    const body = Buffer.from(SMALL_BODY);
    expect(verifyXSignature({ 'X-Twitter-Webhooks-Signature': SMALL_BODY_SIGNATURE }, body, [CONSUMER_SECRET]).ok).toBe(true);
    expect(verifyXSignature({ 'x-twitter-webhooks-signature': `sha256=garbage, ${SMALL_BODY_SIGNATURE}` }, body, [CONSUMER_SECRET]).ok).toBe(true);
  });

  it('refuses every delivery when no consumer secret is configured, and says so', () => {
    const body = Buffer.from(SMALL_BODY);
    for (const configured of [[], [''], ['  ']]) {
      expect(() => xPlatform.verify({ 'x-twitter-webhooks-signature': signXBody(body, '') }, body, secrets(...configured), NOW)).toThrow(
        new AuthenticationError('X signature rejected: X_CONSUMER_SECRET is not configured'),
      );
    }
  });

  it('throws an AuthenticationError that names the reason and quotes nothing of the body', () => {
    const body = Buffer.from('{"text":"my booking ref is QX7P2M"}');
    const attempt = () => xPlatform.verify({ 'x-twitter-webhooks-signature': 'sha256=nope' }, body, secrets(CONSUMER_SECRET), NOW);
    expect(attempt).toThrow(AuthenticationError);
    expect(attempt).toThrow('X signature rejected: malformed x-twitter-webhooks-signature header');
    expect(attempt).not.toThrow(/QX7P2M/);
  });
});
