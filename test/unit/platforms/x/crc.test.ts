import { describe, expect, it } from 'vitest';
import { xPlatform } from '#platforms/x/platform';
import { CONSUMER_SECRET, PREVIOUS_CONSUMER_SECRET } from './fixtures.ts';

const handshake = xPlatform.handshake!;
const configured = { consumerSecrets: [CONSUMER_SECRET, PREVIOUS_CONSUMER_SECRET] };

// Computed outside Node (Python's hmac module): sha256= + base64(HMAC-SHA256(secret, token)) (§1.2).
const TOKEN = 'NTVlYzI4ZjItZDY0Ny00ZWQ0LWE1YmUtODA4YTE2MGMwNWRl';
const ANSWER = 'sha256=GfBKBbV/lMIuCw3kkevMMRfwwtkhiYctlB6Xp3SW04g=';

describe('X CRC handshake', () => {
  it('answers 200 with exactly {"response_token":"sha256=..."} as JSON', () => {
    expect(handshake({ crc_token: TOKEN }, configured)).toEqual({
      statusCode: 200,
      contentType: 'application/json',
      body: `{"response_token":"${ANSWER}"}`,
    });
  });

  it('answers with the current (first) consumer secret while others are still accepted on POST', () => {
    const answer = handshake({ crc_token: TOKEN }, { consumerSecrets: [PREVIOUS_CONSUMER_SECRET, CONSUMER_SECRET] });
    expect(JSON.parse(answer.body)).not.toEqual({ response_token: ANSWER });
  });

  it('ignores the nonce and any other query parameter X adds', () => {
    const answer = handshake({ crc_token: TOKEN, nonce: 'MTc5NTMzNjIwNTAwMA', foo: 'bar' }, configured);
    expect(answer.statusCode).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ response_token: ANSWER });
  });

  it.each([
    ['padded base64', 'YWJjZA=='],
    ['base64url', 'ab-_cd'],
    ['a single character', 'x'],
    ['256 characters', 'A'.repeat(256)],
  ])('answers an opaque token written as %s', (_, token) => {
    expect(handshake({ crc_token: token }, configured).statusCode).toBe(200);
  });

  it.each([
    ['a JSON body, which would make the answer a valid POST signature', '{"tweet_create_events":[]}'],
    ['text with spaces', 'hello world'],
    ['a trailing newline', `${TOKEN}\n`],
    ['three padding characters', 'abcd==='],
    ['padding in the middle', 'ab=cd'],
    ['257 characters', 'A'.repeat(257)],
    ['non-ASCII letters', 'caf\u00e9'],
  ])('refuses a token that is %s with 400 and a JSON error', (_, token) => {
    const answer = handshake({ crc_token: token }, configured);
    expect(answer.statusCode).toBe(400);
    expect(answer.contentType).toBe('application/json');
    expect(JSON.parse(answer.body)).toEqual({ error: 'invalid_request', message: 'crc_token must be an opaque base64 token of at most 256 characters' });
    expect(answer.body).not.toContain('sha256=');
  });

  it.each([[{}], [{ crc_token: '' }], [{ crc_token: undefined }]])('refuses a request without crc_token with 400: %j', (query) => {
    const answer = handshake(query, configured);
    expect(answer.statusCode).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ error: 'invalid_request', message: 'crc_token is missing' });
  });

  it('answers 503 naming the missing setting when no consumer secret is configured', () => {
    for (const consumerSecrets of [[], ['']]) {
      const answer = handshake({ crc_token: TOKEN }, { consumerSecrets });
      expect(answer).toEqual({
        statusCode: 503,
        contentType: 'application/json',
        body: JSON.stringify({ error: 'unavailable', message: 'X_CONSUMER_SECRET is not configured' }),
      });
    }
  });

  it('is registered as the x platform with a 1 MiB body limit', () => {
    expect(xPlatform.name).toBe('x');
    expect(xPlatform.maxBodyBytes).toBe(1024 * 1024);
  });
});
