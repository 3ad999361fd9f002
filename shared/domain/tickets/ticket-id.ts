import { createHash } from 'node:crypto';

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * A ticket's id, derived from the post that opened it, so a redelivered event can only ever
 * address the same ticket (EventBridge and Lambda deliver at least once). 80 bits of SHA-256
 * in Crockford base32: short enough for URLs, far from colliding at any brand's volume.
 */
export function ticketIdForPost(platform: string, postId: string): string {
  const digest = createHash('sha256').update(`${platform}\u0000${postId}`).digest();
  let bits = 0;
  let value = 0;
  let id = 'tkt_';
  for (const byte of digest.subarray(0, 10)) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      id += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return id;
}
