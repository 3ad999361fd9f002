import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuthenticationError } from '#domain/errors';
import { metaPlatform } from '#platforms/meta/platform';
import { signMetaBody, verifyMetaSignature } from '#platforms/meta/signature';
import { fixture } from './meta-payloads.ts';

const APP_SECRET = '3f1c0b8e5a2d47c69e0f1a2b3c4d5e6f';
const PREVIOUS_APP_SECRET = 'a9b8c7d6e5f40312a9b8c7d6e5f40312';
const NOW = new Date('2026-11-22T10:00:00Z');

const signed = (body: Buffer | string, secret = APP_SECRET) => ({ 'x-hub-signature-256': signMetaBody(body, secret) });

describe('Meta signature check', () => {
  it('signs as HMAC-SHA256 in lowercase hex behind "sha256="', () => {
    // The RFC 4231-style vector everyone quotes: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog").
    expect(signMetaBody('The quick brown fox jumps over the lazy dog', 'key')).toBe(
      'sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
    );
    expect(signMetaBody(Buffer.from('{}'), 'key')).toBe(signMetaBody('{}', 'key'));
  });

  it('accepts a delivery signed over the escaped-unicode bytes Meta sends', () => {
    const body = fixture('page-feed-batch.json');
    expect(body.toString('latin1')).toContain('annul\\u00e9');
    expect(verifyMetaSignature(signed(body), body, [APP_SECRET])).toEqual({ ok: true });
  });

  it('does not accept the same delivery once its JSON is parsed and written again', () => {
    const body = fixture('page-feed-batch.json');
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8'))));
    expect(verifyMetaSignature(signed(body), reserialised, [APP_SECRET]).ok).toBe(false);
  });

  it('accepts a delivery with raw UTF-8 text, signed over those bytes', () => {
    const body = fixture('instagram-comments-instagram-login.json');
    expect(body.toString('utf8')).toContain('😤');
    expect(verifyMetaSignature(signed(body), body, [APP_SECRET]).ok).toBe(true);
  });

  it('accepts any configured app secret, so the secret rotates without downtime', () => {
    const body = '{"object":"page","entry":[]}';
    expect(verifyMetaSignature(signed(body, PREVIOUS_APP_SECRET), Buffer.from(body), [APP_SECRET, PREVIOUS_APP_SECRET]).ok).toBe(true);
  });

  it('rejects a body changed by a single byte', () => {
    const body = fixture('messenger-messages.json');
    const tampered = Buffer.from(body);
    tampered[100] = tampered[100]! ^ 0x01;
    expect(verifyMetaSignature(signed(body), tampered, [APP_SECRET])).toEqual({ ok: false, reason: 'x-hub-signature-256 matches no configured app secret' });
  });

  it('rejects a delivery signed with a secret we do not hold', () => {
    const body = Buffer.from('{"object":"page","entry":[]}');
    expect(verifyMetaSignature(signed(body, 'someone-elses-app-secret'), body, [APP_SECRET]).ok).toBe(false);
  });

  it('rejects uppercase hex, since Meta signs in lowercase (§2.3) and we decode strictly (§6.2)', () => {
    const body = Buffer.from('{"object":"page","entry":[]}');
    const upper = `sha256=${signMetaBody(body, APP_SECRET).slice('sha256='.length).toUpperCase()}`;
    expect(verifyMetaSignature({ 'x-hub-signature-256': upper }, body, [APP_SECRET])).toEqual({ ok: false, reason: 'malformed x-hub-signature-256 header' });
  });

  it('ignores the old sha1 x-hub-signature header, even when it is valid', () => {
    const body = Buffer.from('{"object":"page","entry":[]}');
    const sha1 = `sha1=${createHmac('sha1', APP_SECRET).update(body).digest('hex')}`;
    expect(verifyMetaSignature({ 'x-hub-signature': sha1 }, body, [APP_SECRET])).toEqual({ ok: false, reason: 'missing x-hub-signature-256 header' });
  });

  it.each([
    ['an empty value', ''],
    ['no algorithm prefix', 'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8'],
    ['the sha1 prefix', 'sha1=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8'],
    ['a short digest', 'sha256=f7bc83f430538424'],
    ['a digest one digit too long', 'sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd80'],
    ['non-hex digits', 'sha256=g7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8'],
    ['base64 instead of hex', 'sha256=97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg='],
    ['a space inside the value', 'sha256= f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8'],
  ])('rejects a header with %s, without throwing', (_case, header) => {
    const body = Buffer.from('{}');
    expect(verifyMetaSignature({ 'x-hub-signature-256': header }, body, [APP_SECRET])).toEqual({ ok: false, reason: 'malformed x-hub-signature-256 header' });
  });

  it('finds the header whatever the case of its name', () => {
    const body = Buffer.from('{}');
    expect(verifyMetaSignature({ 'X-Hub-Signature-256': signMetaBody(body, APP_SECRET) }, body, [APP_SECRET]).ok).toBe(true);
  });

  it('accepts a header API Gateway comma-joined from duplicates when one of them matches', () => {
    const body = Buffer.from('{}');
    const header = `${signMetaBody(body, 'stale-secret')}, ${signMetaBody(body, APP_SECRET)}`;
    expect(verifyMetaSignature({ 'x-hub-signature-256': header }, body, [APP_SECRET]).ok).toBe(true);
  });

  it('refuses to verify anything without an app secret, and never treats an empty secret as one', () => {
    const body = Buffer.from('{}');
    expect(verifyMetaSignature(signed(body, ''), body, [])).toEqual({ ok: false, reason: 'no Meta app secret is configured (META_APP_SECRET)' });
    expect(verifyMetaSignature(signed(body, ''), body, [''])).toEqual({ ok: false, reason: 'no Meta app secret is configured (META_APP_SECRET)' });
  });

  it('throws an AuthenticationError that names the reason and carries no body content', () => {
    const body = Buffer.from('{"object":"page","secret-looking":"Am\\u00e9lie"}');
    const verify = (headers: Record<string, string>, secrets: string[]) => () =>
      metaPlatform.verify(headers, body, { appSecrets: secrets, verifyToken: 'token' }, NOW);
    expect(verify(signed(body), [APP_SECRET])).not.toThrow();
    expect(verify({}, [APP_SECRET])).toThrow(AuthenticationError);
    expect(verify({}, [APP_SECRET])).toThrow('Meta signature rejected: missing x-hub-signature-256 header');
    expect(verify(signed(body), [])).toThrow('Meta signature rejected: no Meta app secret is configured (META_APP_SECRET)');
    const message = thrownMessage(verify(signed('{}'), [APP_SECRET]));
    expect(message).toBe('Meta signature rejected: x-hub-signature-256 matches no configured app secret');
  });
});

function thrownMessage(action: () => void): string | undefined {
  try {
    action();
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
}
