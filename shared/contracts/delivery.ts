import type { Platform, SocialPost } from './social-post.ts';

/** One delivery, normalised: every entry of a batch is its own item. */
export interface ParsedDelivery {
  /** New posts and edits of posts, to classify and route. */
  posts: IncomingPost[];
  /** Posts the platform reports removed (deleted tweets, removed comments): recorded, not classified. */
  removals: Removal[];
  /** What was acknowledged without being handed on, and why (own posts, echoes, event types we skip). */
  ignored: Ignored[];
}

export interface IncomingPost {
  post: SocialPost;
  /**
   * Identifies this post (or this edit of it) across retries and across products that deliver
   * the same post, e.g. `x:post:1234`, `facebook:comment:1_2:edited:1700000000`. A key seen before
   * is acknowledged and not handed on again.
   */
  dedupeKey: string;
}

export interface Removal {
  platform: Platform;
  /** The removed post's id, as in SocialPost.id. */
  postId: string;
  removedAt: string;
  brandAccountId?: string;
  dedupeKey: string;
}

export interface Ignored {
  reason: string;
}
