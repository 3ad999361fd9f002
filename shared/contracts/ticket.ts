import { Category, Priority } from './classification.ts';
import { Platform } from './social-post.ts';
import * as z from './zod.ts';

export const TicketStatus = z.enum(['new', 'open', 'pending_customer', 'solved', 'closed']);
export type TicketStatus = z.infer<typeof TicketStatus>;

/** Statuses a ticket is worked in; the queue view shows these unless asked otherwise. */
export const ACTIVE_STATUSES: readonly TicketStatus[] = ['new', 'open', 'pending_customer'];

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
  sla: z.object({
    firstResponseDueAt: z.iso.datetime(),
    firstResponseBreachedAt: z.nullable(z.iso.datetime()),
  }),
});
export type Ticket = z.infer<typeof Ticket>;
