import { Classification } from './classification.ts';
import { Platform, SocialPost } from './social-post.ts';
import { Ticket, TicketActor, TicketStatus } from './ticket.ts';
import * as z from './zod.ts';

/**
 * The agent behind a support API request, from the JWT claims the authorizer checked (a Cognito
 * user pool in AWS, `npx redress token` locally). API Gateway hands claims over as strings, and
 * a list claim such as `cognito:groups` arrives flattened to "[safety delays]".
 */
export const AgentClaims = z.pipe(
  z.object({
    sub: z.string().check(z.minLength(1)),
    name: z.optional(z.string()),
    'cognito:username': z.optional(z.string()),
    'cognito:groups': z.optional(z.union([z.array(z.string()), z.string()])),
  }),
  z.transform((claims) => ({
    id: claims.sub,
    name: claims.name ?? claims['cognito:username'] ?? claims.sub,
    queues: groupList(claims['cognito:groups']),
  })),
);
export type Agent = z.output<typeof AgentClaims>;

function groupList(groups: string | string[] | undefined): string[] {
  if (groups === undefined) return [];
  if (Array.isArray(groups)) return groups;
  return groups.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean);
}

const StatusList = z.pipe(
  z.string(),
  z.transform((text, ctx) => {
    const statuses = text.split(',').map((status) => status.trim());
    for (const status of statuses) {
      if (!TicketStatus.safeParse(status).success) {
        ctx.issues.push({ code: 'custom', message: `unknown status "${status}"; use ${TicketStatus.options.join(', ')}`, input: text });
      }
    }
    return [...new Set(statuses)] as TicketStatus[];
  }),
);

export const ListTicketsQuery = z.object({
  /** Comma-separated; by default the statuses a ticket is worked in. */
  status: z.optional(StatusList),
  limit: z._default(
    z.pipe(
      z.string().check(z.regex(/^\d{1,3}$/, 'limit is a whole number from 1 to 100')),
      z.pipe(z.transform(Number), z.number().check(z.gte(1, 'limit is a whole number from 1 to 100'), z.lte(100, 'limit is a whole number from 1 to 100'))),
    ),
    25,
  ),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
});

// ---- tickets ------------------------------------------------------------------------------

/**
 * A ticket id as shared/domain/tickets/ticket-id.ts makes them (`tkt_` and base32). Anything else
 * cannot name a ticket, and must not reach DynamoDB as a key (its size limits would answer 500).
 */
export const TicketId = z.string().check(z.regex(/^tkt_[0-9a-z]{1,64}$/, 'ticket ids are tkt_ followed by lower-case letters and digits'));

const VERSION = /^(?:W\/"([1-9]\d{0,14})"|"([1-9]\d{0,14})"|([1-9]\d{0,14}))$/;

/**
 * `If-Match` on a ticket change: the version from the ticket's `ETag`. Strong (`"3"`), weak
 * (`W/"3"`, as a proxy may rewrite it) and bare (`3`, as people type it) all name version 3.
 * One version only: `*` or a list would let a change land on a ticket the agent has not read.
 */
export const IfMatch = z.pipe(
  z.string().check(z.trim(), z.regex(VERSION, 'If-Match takes one version, as the ETag gives it: "3"')),
  z.transform((text) => Number(VERSION.exec(text)!.slice(1).find((digits) => digits !== undefined))),
);

/** The body of `POST /api/tickets/{id}/replies`. The platform's own length limit is checked on the ticket. */
export const ReplyRequest = z.object({
  text: z.string().check(
    z.minLength(1, 'a reply needs some text'),
    // Above every platform's limit (shared/domain/tickets/ticket-changes.ts REPLY_LIMITS) even
    // in UTF-16 units; it only keeps absurd bodies out before the ticket is read.
    z.maxLength(20_000),
    z.refine((text) => text.trim().length > 0, 'a reply needs some text, not only spaces'),
  ),
});
export type ReplyRequest = z.infer<typeof ReplyRequest>;

// ---- responses: what the API answers, parsed on the way out so the OpenAPI document holds ----

const Timestamp = z.iso.datetime();
const Count = z.number().check(z.int(), z.gte(0));

export const QueueSummary = z.object({
  name: z.string(),
  description: z.string(),
  /** Tickets being worked: new, open or waiting for the customer. */
  open: Count,
  /** New or open tickets with an SLA clock (first response, next response, resolution) due within 15 minutes or already overdue. */
  atRisk: Count,
});
export type QueueSummary = z.infer<typeof QueueSummary>;

export const QueueListResponse = z.object({ queues: z.array(QueueSummary) });

export const TicketPageResponse = z.object({
  tickets: z.array(Ticket),
  /** Pass as `cursor` for the next page; absent on the last page. */
  nextCursor: z.optional(z.string()),
});

/** A customer's post under its ticket, with how the classifier read it (reasons and entities). */
export const TicketPost = z.object({
  ticketId: z.string(),
  post: SocialPost,
  classification: Classification,
  receivedAt: Timestamp,
  /** Set when the platform reported an edit; `post` is then the edited text. */
  editedAt: z.optional(Timestamp),
});

export const Reply = z.object({
  replyId: z.string(),
  ticketId: z.string(),
  text: z.string(),
  agent: TicketActor,
  /** The customer's post the reply answers on the platform. */
  replyTo: z.object({ platform: Platform, postId: z.string() }),
  createdAt: Timestamp,
  delivery: z.object({
    /** `pending` until the reply function sends it, `sending` while it does, then `sent` or `failed`. */
    status: z.enum(['pending', 'sending', 'sent', 'failed']),
    attempts: Count,
    /** The platform's id for the reply, once sent. */
    platformId: z.optional(z.string()),
    /** Why the last attempt failed. */
    reason: z.optional(z.string()),
    at: z.optional(Timestamp),
  }),
});

/** One change in a ticket's life: the Ticket.* event it emitted. */
export const HistoryEntry = z.object({
  /** The ticket version the change produced (0 for an SLA event, which changes no field an agent edits). */
  version: Count,
  at: z.string(),
  detailType: z.string(),
  detail: z.record(z.string(), z.unknown()),
});

export const TicketViewResponse = z.object({
  ticket: Ticket,
  /** In the order they were received. */
  posts: z.array(TicketPost),
  /** In the order they were written. */
  replies: z.array(Reply),
  /** Oldest first. */
  history: z.array(HistoryEntry),
});

export const TicketChangeResponse = z.object({ ticket: Ticket });

export const ReplyAcceptedResponse = z.object({
  /** Stored as pending; the reply function sends it to the platform. */
  reply: Reply,
  ticket: Ticket,
});

/** Every 4xx and 5xx the function answers (shared/middleware/http-errors.ts). */
export const ErrorResponse = z.object({
  error: z.string(),
  message: z.string(),
  /** With 400: which fields are wrong, and how. */
  fields: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
  /** With a 409 for a stale If-Match: the version to re-read the ticket at. */
  currentVersion: z.optional(z.number().check(z.int(), z.gte(1))),
});

// ---- reports ------------------------------------------------------------------------------

/** `GET /api/reports/sla?from=&to=`: tickets created in [from, to), ISO 8601 instants; `to` defaults to now. */
export const SlaReportQuery = z.object({
  from: z.iso.datetime({ offset: true }),
  to: z.optional(z.iso.datetime({ offset: true })),
});

/** First-response SLA outcomes of the tickets of one queue and priority created in the period. */
export const SlaReportRow = z.object({
  queue: z.string(),
  priority: z.enum(['P1', 'P2', 'P3', 'P4']),
  tickets: Count,
  /** Answered at or before the first-response due time. */
  met: Count,
  /** Answered late, or marked breached by the monitor while unanswered. */
  breached: Count,
  /** Not answered yet and not yet due (or solved without a reply): counted in neither. */
  pending: Count,
  /** met / (met + breached) * 100, one decimal; null when neither has happened. */
  percentMet: z.nullable(z.number()),
  /** Over the tickets answered: seconds from the first post to the first agent reply; null when none. */
  medianFirstResponseSeconds: z.nullable(z.number()),
  p90FirstResponseSeconds: z.nullable(z.number()),
});
export type SlaReportRow = z.infer<typeof SlaReportRow>;

export const SlaReportResponse = z.object({
  from: Timestamp,
  to: Timestamp,
  /** One row per queue and priority with at least one ticket, in config queue order, then P1-P4. */
  rows: z.array(SlaReportRow),
});
export type SlaReportResponse = z.infer<typeof SlaReportResponse>;
