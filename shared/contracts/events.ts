import { Category, Classification, Priority } from './classification.ts';
import { Platform, SocialPost } from './social-post.ts';
import * as z from './zod.ts';

/** Event sources and detail-types on the `redress` bus (../shared/DESIGN.md "Contracts"). */
export const EventSource = {
  ingest: 'redress.ingest',
  tickets: 'redress.tickets',
} as const;

export const DetailType = {
  postClassified: 'Post.Classified',
  postRemoved: 'Post.Removed',
  ticketCreated: 'Ticket.Created',
  ticketUpdated: 'Ticket.Updated',
  ticketResponded: 'Ticket.Responded',
  ticketResolved: 'Ticket.Resolved',
  ticketReopened: 'Ticket.Reopened',
  ticketSlaWarning: 'Ticket.SlaWarning',
  ticketSlaBreached: 'Ticket.SlaBreached',
} as const;

const Timestamp = z.iso.datetime();
const QueueName = z.string().check(z.regex(/^[a-z][a-z0-9-]{0,39}$/));

export const PostClassifiedDetail = z.object({
  post: SocialPost,
  classification: Classification,
  /** The first configured queue whose pattern matched, or null when the post is for no queue. */
  queue: z.nullable(QueueName),
  receivedAt: Timestamp,
});
export type PostClassifiedDetail = z.infer<typeof PostClassifiedDetail>;

/** The platform reports a post removed (a deleted tweet, a removed comment); recorded, not classified. */
export const PostRemovedDetail = z.object({
  platform: Platform,
  postId: z.string(),
  removedAt: Timestamp,
  brandAccountId: z.optional(z.string()),
});
export type PostRemovedDetail = z.infer<typeof PostRemovedDetail>;

export const TicketCreatedDetail = z.object({
  ticketId: z.string(),
  queue: QueueName,
  priority: Priority,
  category: Category,
  platform: Platform,
  postId: z.string(),
  createdAt: Timestamp,
  firstResponseDueAt: Timestamp,
});
export type TicketCreatedDetail = z.infer<typeof TicketCreatedDetail>;

export const TicketSlaBreachedDetail = z.object({
  ticketId: z.string(),
  queue: QueueName,
  priority: Priority,
  clock: z.enum(['first_response']),
  dueAt: Timestamp,
  breachedAt: Timestamp,
});
export type TicketSlaBreachedDetail = z.infer<typeof TicketSlaBreachedDetail>;

/** The envelope EventBridge delivers to targets (../shared/specs/eventbridge.md §5). */
export function eventBridgeEnvelope<Detail extends z.ZodMiniType>(detailType: string, detail: Detail) {
  return z.object({
    version: z.string(),
    id: z.string(),
    'detail-type': z.literal(detailType),
    source: z.string(),
    account: z.string(),
    time: z.string(),
    region: z.string(),
    resources: z.array(z.string()),
    detail,
    'replay-name': z.optional(z.string()),
  });
}

/** An event ready to publish: what PutEvents needs besides the bus. */
export interface OutgoingEvent {
  source: (typeof EventSource)[keyof typeof EventSource];
  detailType: (typeof DetailType)[keyof typeof DetailType];
  detail: Record<string, unknown>;
}
