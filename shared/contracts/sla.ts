import * as z from './zod.ts';

/** The SLA clocks a ticket can run (shared/domain/sla/ticket-clocks.ts). */
export const SlaClockName = z.enum(['first_response', 'next_response', 'resolution']);
export type SlaClockName = z.infer<typeof SlaClockName>;

const Timestamp = z.iso.datetime();
const Seconds = z.number().check(z.gte(0));

/**
 * One SLA clock of a ticket (shared/domain/sla/ticket-clocks.ts does the arithmetic). Business
 * time is counted in the queue's business hours; a clock pauses while the ticket waits for the
 * customer and keeps the business time it had used.
 */
export const SlaClock = z.object({
  /** The policy's target, in business seconds. */
  targetSeconds: Seconds,
  /** Business seconds after which the monitor warns (the warning threshold times the target). */
  warnAfterSeconds: Seconds,
  /** Business seconds used up to `runningSince` (or up to when the clock paused or stopped). */
  elapsedSeconds: Seconds,
  /** When this run of the clock began: the first post, a customer's post after a reply, a reopen. */
  startedAt: Timestamp,
  /** Since when the clock runs; null while it is paused or stopped. */
  runningSince: z.nullable(Timestamp),
  /** When the warning falls due while the clock runs (null when paused, stopped or already warned). */
  warnAt: z.nullable(Timestamp),
  /** When the target falls due while the clock runs (null when paused or stopped). */
  dueAt: z.nullable(Timestamp),
  /** Set once, by the monitor, when it raised the warning. */
  warnedAt: z.nullable(Timestamp),
  /** Set once, by the monitor, when it raised the breach. */
  breachedAt: z.nullable(Timestamp),
  /** The agent reply or resolve that stopped the clock. */
  stoppedAt: z.nullable(Timestamp),
});
export type SlaClock = z.infer<typeof SlaClock>;

export const TicketSla = z.object({
  /** Clocks the ticket has started; a clock runs again (afresh) when the policy says so. */
  clocks: z.partialRecord(SlaClockName, SlaClock),
  /** The earliest due time of a running clock: queues list tickets in this order. */
  dueAt: z.nullable(Timestamp),
  /** The first post's first-response due time, kept for reports after the clock stopped. */
  firstResponseDueAt: Timestamp,
  /** When the first-response target was breached (by the monitor, or a late first reply). */
  firstResponseBreachedAt: z.nullable(Timestamp),
});
export type TicketSla = z.infer<typeof TicketSla>;

