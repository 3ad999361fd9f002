import { readFileSync } from 'node:fs';

/** The Page and Instagram account the fixtures were delivered to (test/fixtures/meta/). */
export const PAGE_ID = '104881129370011';
export const INSTAGRAM_ACCOUNT_ID = '17841405726653026';

/** A stored payload, as the exact bytes Meta would send (and sign). */
export function fixture(name: string): Buffer {
  return readFileSync(new URL(`../../../fixtures/meta/${name}`, import.meta.url));
}

export const FIXTURES = [
  'page-feed-batch.json',
  'page-feed-legacy.json',
  'instagram-comments-facebook-login.json',
  'instagram-comments-instagram-login.json',
  'instagram-mentions.json',
  'messenger-messages.json',
  'instagram-messages.json',
] as const;

/**
 * JSON as Meta writes it (../shared/specs/webhooks.md §2.3): ASCII only, every other character
 * as a lowercase `\uXXXX` escape, and `/` as `\/`. Both only ever occur inside strings.
 */
export function escapedLikeMeta(json: string): string {
  return json
    .replace(/[\u007f-\uffff]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');
}

/**
 * A Page `feed` delivery of `count` customer comments, spread over entries of up to 50 changes
 * as Meta batches them (§2.4: at most 1,000 updates per delivery).
 */
export function feedBatch(count: number, options: { perEntry?: number } = {}): Buffer {
  const perEntry = options.perEntry ?? 50;
  const entry: unknown[] = [];
  for (let start = 0; start < count; start += perEntry) {
    const changes = [];
    for (let index = start; index < Math.min(count, start + perEntry); index += 1) {
      changes.push({
        field: 'feed',
        value: {
          from: { id: String(7_305_924_816_000_000 + index), name: `Voyageur n\u00b0${index}` },
          post: { id: `${PAGE_ID}_1043227624498172`, permalink_url: `https://www.facebook.com/${PAGE_ID}/posts/1043227624498172` },
          message: `Vol ${index} annul\u00e9, aucune r\u00e9ponse depuis ${index % 48} heures`,
          post_id: `${PAGE_ID}_1043227624498172`,
          comment_id: `1043227624498172_${1_261_823_348_000_000 + index}`,
          created_time: 1_795_341_000 + index,
          item: 'comment',
          parent_id: `${PAGE_ID}_1043227624498172`,
          verb: 'add',
        },
      });
    }
    entry.push({ id: PAGE_ID, time: 1_795_342_000 + start, changes });
  }
  return Buffer.from(escapedLikeMeta(JSON.stringify({ object: 'page', entry })));
}
