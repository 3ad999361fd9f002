import { describe, expect, it } from 'vitest';
import { metaPlatform } from '#platforms/meta/platform';

const VERIFY_TOKEN = 'redress-verify-7Hc2qPz';
const secrets = { appSecrets: ['app-secret'], verifyToken: VERIFY_TOKEN };
const handshake = (query: Record<string, string | undefined>, configured = secrets) => metaPlatform.handshake!(query, configured);
const subscribe = (overrides: Record<string, string | undefined> = {}) => ({
  'hub.mode': 'subscribe',
  'hub.challenge': '1158201444',
  'hub.verify_token': VERIFY_TOKEN,
  ...overrides,
});

describe('Meta verification request (GET)', () => {
  it('echoes the challenge verbatim as text when the verify token matches', () => {
    expect(handshake(subscribe())).toEqual({ statusCode: 200, contentType: 'text/plain', body: '1158201444' });
  });

  it('echoes a challenge that is not a number without parsing it', () => {
    expect(handshake(subscribe({ 'hub.challenge': '0012_ab-CD' })).body).toBe('0012_ab-CD');
  });

  it.each([
    ['a wrong verify token', { 'hub.verify_token': 'guess' }, 'hub.verify_token does not match'],
    ['the verify token with a different case', { 'hub.verify_token': VERIFY_TOKEN.toUpperCase() }, 'hub.verify_token does not match'],
    ['no verify token', { 'hub.verify_token': undefined }, 'hub.verify_token does not match'],
    ['a mode other than subscribe', { 'hub.mode': 'unsubscribe' }, 'hub.mode must be "subscribe"'],
    ['no mode', { 'hub.mode': undefined }, 'hub.mode must be "subscribe"'],
    ['no challenge', { 'hub.challenge': undefined }, 'hub.challenge is missing or not a plausible challenge'],
    ['an empty challenge', { 'hub.challenge': '' }, 'hub.challenge is missing or not a plausible challenge'],
    ['markup as the challenge', { 'hub.challenge': '<script>alert(1)</script>' }, 'hub.challenge is missing or not a plausible challenge'],
    ['a challenge of 129 characters', { 'hub.challenge': '1'.repeat(129) }, 'hub.challenge is missing or not a plausible challenge'],
  ])('answers 403 with a JSON error to %s', (_case, overrides, message) => {
    const response = handshake(subscribe(overrides));
    expect(response.statusCode).toBe(403);
    expect(response.contentType).toBe('application/json');
    expect(JSON.parse(response.body)).toEqual({ error: 'forbidden', message });
  });

  it('accepts a challenge of up to 128 characters', () => {
    expect(handshake(subscribe({ 'hub.challenge': '9'.repeat(128) })).statusCode).toBe(200);
  });

  it('reads the parameter names with their dots, not the underscores PHP would make of them', () => {
    const query = { hub_mode: 'subscribe', hub_challenge: '1158201444', hub_verify_token: VERIFY_TOKEN };
    expect(handshake(query).statusCode).toBe(403);
  });

  it('answers 503 when no verify token is configured, whatever the request says', () => {
    const response = handshake(subscribe({ 'hub.verify_token': '' }), { appSecrets: ['app-secret'], verifyToken: '' });
    expect(response).toEqual({
      statusCode: 503,
      contentType: 'application/json',
      body: JSON.stringify({ error: 'unavailable', message: 'META_VERIFY_TOKEN is not configured' }),
    });
  });
});
