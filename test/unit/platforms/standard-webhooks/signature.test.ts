import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { AuthenticationError } from '#domain/errors';
import { assertStandardWebhook, decodeSecret, verifyStandardWebhook } from '#platforms/standard-webhooks/signature';

const SECRET = `whsec_${Buffer.from('a-secret-of-at-least-24-bytes!!').toString('base64')}`;
const OTHER_SECRET = `whsec_${Buffer.from('another-secret-of-24-bytes-or-more').toString('base64')}`;
const NOW = new Date('2026-11-22T10:00:00Z');
const nowSeconds = Math.floor(NOW.getTime() / 1000);

/** Headers as a Standard Webhooks sender makes them, signed by the reference library. */
function signed(body: Buffer | string, options: { secret?: string; id?: string; at?: Date } = {}) {
  const id = options.id ?? 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';
  const at = options.at ?? NOW;
  const payload = typeof body === 'string' ? body : body.toString('utf8');
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(options.secret ?? SECRET).sign(id, at, payload),
  };
}

const keys = (...secrets: string[]) => secrets.map(decodeSecret);

describe('Standard Webhooks signature check', () => {
  it('accepts a delivery signed by the reference library', () => {
    const body = '{"type":"post.created"}';
    expect(verifyStandardWebhook(signed(body), Buffer.from(body), keys(SECRET), NOW)).toEqual({ ok: true, webhookId: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W' });
  });

  it('accepts a secret given without the whsec_ prefix', () => {
    const body = '{}';
    const bare = SECRET.slice('whsec_'.length);
    expect(verifyStandardWebhook(signed(body), Buffer.from(body), keys(bare), NOW).ok).toBe(true);
  });

  it('accepts any configured secret, so a secret rotates without downtime', () => {
    const body = '{"a":1}';
    expect(verifyStandardWebhook(signed(body, { secret: OTHER_SECRET }), Buffer.from(body), keys(SECRET, OTHER_SECRET), NOW).ok).toBe(true);
  });

  it('accepts when any one of several signature entries matches, skipping malformed and v1a entries', () => {
    const body = '{"a":1}';
    const headers = signed(body);
    headers['webhook-signature'] = `v1a,c2lnbmF0dXJl v1 v1, garbage v1,AAAA ${headers['webhook-signature']}`;
    expect(verifyStandardWebhook(headers, Buffer.from(body), keys(SECRET), NOW).ok).toBe(true);
  });

  it('rejects a body changed by a single byte', () => {
    const body = '{"text":"my flight is late"}';
    const tampered = Buffer.from(body.replace('late', 'Late'));
    expect(verifyStandardWebhook(signed(body), tampered, keys(SECRET), NOW)).toEqual({ ok: false, reason: 'no webhook-signature entry matches' });
  });

  it('rejects a delivery signed with a secret we do not hold', () => {
    const body = '{}';
    expect(verifyStandardWebhook(signed(body, { secret: OTHER_SECRET }), Buffer.from(body), keys(SECRET), NOW).ok).toBe(false);
  });

  it('rejects a signature made for another webhook-id', () => {
    const body = '{}';
    const headers = { ...signed(body), 'webhook-id': 'msg_other' };
    expect(verifyStandardWebhook(headers, Buffer.from(body), keys(SECRET), NOW).ok).toBe(false);
  });

  it.each([
    ['webhook-id', 'missing webhook-id, webhook-timestamp or webhook-signature header'],
    ['webhook-timestamp', 'missing webhook-id, webhook-timestamp or webhook-signature header'],
    ['webhook-signature', 'missing webhook-id, webhook-timestamp or webhook-signature header'],
  ] as const)('rejects a delivery without the %s header', (header, reason) => {
    const body = '{}';
    const headers: Record<string, string> = signed(body);
    delete headers[header];
    expect(verifyStandardWebhook(headers, Buffer.from(body), keys(SECRET), NOW)).toEqual({ ok: false, reason });
  });

  it('takes timestamps up to 300 s off either way and rejects 301 s', () => {
    const body = '{}';
    const at = (offsetSeconds: number) => new Date(NOW.getTime() + offsetSeconds * 1000);
    const verify = (offset: number) => verifyStandardWebhook(signed(body, { at: at(offset) }), Buffer.from(body), keys(SECRET), NOW);
    expect(verify(-300).ok).toBe(true);
    expect(verify(300).ok).toBe(true);
    expect(verify(-301)).toEqual({ ok: false, reason: 'webhook-timestamp is too old' });
    expect(verify(301)).toEqual({ ok: false, reason: 'webhook-timestamp is too new' });
  });

  it('verifies the exact bytes sent, not JSON re-serialised from them', () => {
    // Escapes, spacing and key order all change when JSON is parsed and written again.
    const body = '{ "text" : "Caf\\u00e9 au lait \\/ vol annul\u00e9", "b":1, "a":2 }';
    const headers = signed(body);
    expect(verifyStandardWebhook(headers, Buffer.from(body), keys(SECRET), NOW).ok).toBe(true);
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body)));
    expect(verifyStandardWebhook(headers, reserialised, keys(SECRET), NOW).ok).toBe(false);
  });

  it('throws an AuthenticationError naming the reason for a handler to answer 401', () => {
    expect(() => assertStandardWebhook({}, Buffer.from('{}'), [SECRET], NOW)).toThrow(AuthenticationError);
    expect(() => assertStandardWebhook({}, Buffer.from('{}'), [SECRET], NOW)).toThrow(/missing webhook-id/);
  });

  it('refuses a configured secret that is not base64, with a message saying what a secret looks like', () => {
    expect(() => decodeSecret('whsec_not base64!')).toThrow('a Standard Webhooks secret must be "whsec_" followed by base64');
    expect(() => decodeSecret('whsec_c2hvcnQ=')).toThrow('at least 16 bytes');
  });

  it('verifies every signed body and rejects every single-byte change of it', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 512 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (bytes, position, flip) => {
        const body = Buffer.from(bytes);
        const id = 'msg_p';
        const timestamp = String(nowSeconds);
        const headers = { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': specSignature(id, timestamp, body) };
        expect(verifyStandardWebhook(headers, body, keys(SECRET), NOW).ok).toBe(true);
        const changed = Buffer.from(body);
        const index = position % changed.length;
        changed[index] = changed[index]! ^ flip;
        expect(verifyStandardWebhook(headers, changed, keys(SECRET), NOW).ok).toBe(false);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 1000) },
    );
  });

  it('never throws, whatever the headers say', () => {
    fc.assert(
      fc.property(
        fc.record({ 'webhook-id': fc.option(fc.string(), { nil: undefined }), 'webhook-timestamp': fc.option(fc.string(), { nil: undefined }), 'webhook-signature': fc.option(fc.string(), { nil: undefined }) }),
        fc.uint8Array({ maxLength: 64 }),
        (headers, body) => {
          const outcome = verifyStandardWebhook(headers, Buffer.from(body), keys(SECRET), NOW);
          expect(outcome.ok).toBe(false);
        },
      ),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 1000) },
    );
  });
});

/** HMAC-SHA256 over `id.timestamp.body` with the secret's key, as the spec defines it (§3), for arbitrary bytes. */
function specSignature(id: string, timestamp: string, body: Buffer): string {
  const mac = createHmac('sha256', decodeSecret(SECRET)).update(`${id}.${timestamp}.`).update(body).digest('base64');
  return `v1,${mac}`;
}
