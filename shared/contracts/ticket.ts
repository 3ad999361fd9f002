import { Category, Priority } from './classification.ts';
import { TicketSla } from './sla.ts';
import { Platform } from './social-post.ts';
import * as z from './zod.ts';

export const TicketStatus = z.enum(['new', 'open', 'pending_customer', 'solved', 'closed']);
export type TicketStatus = z.infer<typeof TicketStatus>;

/** Statuses a ticket is worked in; the queue view shows these unless asked otherwise. */
export const ACTIVE_STATUSES: readonly TicketStatus[] = ['new', 'open', 'pending_customer'];

/** Who changed a ticket: an agent (by id), the customer (a follow-up post), or redress itself. */
export const TicketActor = z.object({
  kind: z.enum(['agent', 'customer', 'system']),
  id: z.string(),
  name: z.optional(z.string()),
});
export type TicketActor = z.infer<typeof TicketActor>;

export const Ticket = z.object({
  id: z.string(),
  queue: z.string(),
  status: TicketStatus,
  priority: Priority,
  category: Category,
  /** Bumped by every change; a change names the version it read and fails if it moved on. */
  version: z.number().check(z.int(), z.gte(1)),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  author: z.object({
    platform: Platform,
    id: z.string(),
    handle: z.optional(z.string()),
    name: z.optional(z.string()),
  }),
  /** The start of the first post's text, for queue views. */
  preview: z.string(),
  postCount: z.number().check(z.int(), z.gte(1)),
  firstPostId: z.string(),
  sla: TicketSla,
  /** The agent working the ticket, from the first claim or reply. */
  assignee: z._default(z.nullable(TicketActor), null),
  /** The first agent reply: it stops the first-response clock. */
  firstResponseAt: z._default(z.nullable(z.iso.datetime()), null),
  solvedAt: z._default(z.nullable(z.iso.datetime()), null),
  /** When the customer last wrote: follow-ups within the configured window join this ticket. */
  lastCustomerPostAt: z.optional(z.iso.datetime()),
  /** The customer's latest post, which an agent's reply answers on the platform. */
  replyTo: z.optional(z.object({ platform: Platform, postId: z.string() })),
});
export type Ticket = z.infer<typeof Ticket>;

/** Statuses from which a follow-up or an agent may still move the ticket; `closed` is final. */
export const REOPENABLE_STATUSES: readonly TicketStatus[] = ['solved'];
