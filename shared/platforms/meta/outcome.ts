import { type Author, SocialPost } from '#contracts/social-post';
import type { IncomingPost, Ignored, Removal } from '#contracts/delivery';
import { describeIssues } from './fields.ts';

/** What the mappings need from the entry a change or messaging item came in (../shared/specs/webhooks.md §2.5). */
export interface EntryContext {
  /** The Page or Instagram account the entry is for: the brand account, and the test for its own posts. */
  accountId: string;
  /** When Meta sent the entry (`entry.time`, not when the event happened), or the receipt time without one. */
  sentAt: string;
}

/** What one change or messaging item becomes: every item of a batch has exactly one (§2.4). */
export type ItemOutcome = { post: IncomingPost } | { removal: Removal } | { ignored: Ignored };

export function ignore(reason: string): ItemOutcome {
  return { ignored: { reason } };
}

export function malformed(what: string, error: Parameters<typeof describeIssues>[0]): ItemOutcome {
  return ignore(`malformed ${what}: ${describeIssues(error)}`);
}

/**
 * A mapped post is handed on only if it satisfies the contract everything downstream relies on;
 * a post that does not (a mapping gap for some payload we have not seen) is recorded as ignored
 * with the reason instead of failing the other items of the batch.
 */
export function handOn(post: SocialPost, dedupeKey: string): ItemOutcome {
  const checked = SocialPost.safeParse(post);
  if (!checked.success) return ignore(`the mapped post does not satisfy SocialPost: ${describeIssues(checked.error)}`);
  return { post: { post: checked.data, dedupeKey } };
}

/**
 * Meta leaves out who wrote some items (Instagram mentions carry only ids, §2.7; `from` may be
 * withheld on Page comments). The author is then fetched later by the post id; until then each
 * such post gets its own placeholder, so unrelated posts never look like one person's.
 */
export function unresolvedAuthor(postId: string): Author {
  return { id: `unresolved:${postId}` };
}
