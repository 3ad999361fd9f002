import { Category, Classification, Priority } from './classification.ts';
import { Platform, SocialPost } from './social-post.ts';
import { SlaClockName } from './sla.ts';
import { TicketActor, TicketStatus } from './ticket.ts';
import * as z from './zod.ts';

// The names carry no schema, so a function that only publishes (the webhook) need not build these.
export { DetailType, EventSource, type OutgoingEvent } from './event-names.ts';

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

/**
 * What every change to an existing ticket says (Ticket.Updated, .Responded, .Resolved, .Reopened):
 * the version it produced, who made it, and the status before and after. The ticket's history
 * is these details, in version order.
 */
const TicketChangeFields = {
  ticketId: z.string(),
  queue: QueueName,
  priority: Priority,
  version: z.number().check(z.int(), z.gte(2)),
  status: TicketStatus,
  previousStatus: TicketStatus,
  actor: TicketActor,
  at: Timestamp,
};

export const TicketUpdatedDetail = z.object({
  ...TicketChangeFields,
  change: z.enum(['claimed', 'follow_up', 'pending_customer']),
  /** For a follow-up: the post that joined the ticket. */
  postId: z.optional(z.string()),
  previousPriority: z.optional(Priority),
});
export type TicketUpdatedDetail = z.infer<typeof TicketUpdatedDetail>;

export const TicketRespondedDetail = z.object({
  ...TicketChangeFields,
  replyId: z.string(),
  text: z.string(),
  /** The customer's post the reply answers on the platform. */
  replyTo: z.object({ platform: Platform, postId: z.string() }),
  /** The ticket's first agent reply: the first response of its SLA. */
  firstResponse: z.boolean(),
});
export type TicketRespondedDetail = z.infer<typeof TicketRespondedDetail>;

export const TicketResolvedDetail = z.object(TicketChangeFields);
export type TicketResolvedDetail = z.infer<typeof TicketResolvedDetail>;

export const TicketReopenedDetail = z.object({
  ...TicketChangeFields,
  /** A follow-up from the customer reopens a solved ticket; so can an agent. */
  postId: z.optional(z.string()),
  /** When the follow-up that reopened the ticket was more urgent than the ticket. */
  previousPriority: z.optional(Priority),
});
export type TicketReopenedDetail = z.infer<typeof TicketReopenedDetail>;

/** What a warning and a breach say: which clock of which ticket, under which target. */
const SlaThresholdFields = {
  ticketId: z.string(),
  queue: QueueName,
  priority: Priority,
  clock: SlaClockName,
  /** When this run of the clock began; with `clock` it names the threshold, raised once. */
  startedAt: Timestamp,
  targetSeconds: z.number().check(z.gte(0)),
  dueAt: Timestamp,
};

export const TicketSlaWarningDetail = z.object({
  ...SlaThresholdFields,
  /** When the warning fell due (the warning threshold of the target). */
  warnAt: Timestamp,
  /** When the monitor raised it. */
  warnedAt: Timestamp,
});
export type TicketSlaWarningDetail = z.infer<typeof TicketSlaWarningDetail>;

export const TicketSlaBreachedDetail = z.object({
  ...SlaThresholdFields,
  /** When the monitor raised it. */
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
