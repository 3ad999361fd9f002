import type { Priority } from '#contracts/classification';
import type { Agent, SlaReportResponse, SlaReportRow } from '#contracts/support-api';
import type { Ticket } from '#contracts/ticket';
import { ValidationError } from '../errors.ts';

/**
 * The first-response SLA report (`GET /api/reports/sla`): per queue and priority, how many of the
 * tickets created in a period were answered in time, late, or not yet, and how long the first
 * answer took. Pure: the tickets come in through `SlaReportSource`, the period is given.
 */

/** What the report reads of a ticket; the reader fetches these fields and nothing else. */
export interface ReportedTicket {
  queue: Ticket['queue'];
  priority: Ticket['priority'];
  createdAt: Ticket['createdAt'];
  firstResponseAt: Ticket['firstResponseAt'];
  sla: Pick<Ticket['sla'], 'firstResponseDueAt' | 'firstResponseBreachedAt'>;
}

/** Tickets created in `[from, to)`, from one queue (shared/adapters/sla-report-reader.ts). */
export interface SlaReportSource {
  ticketsCreatedIn(queue: string, period: ReportPeriod): Promise<ReportedTicket[]>;
}

export interface ReportPeriod {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
}

/**
 * The longest period one report covers: a quarter, the longest span SLAs are usually compared
 * over. What the reader reads is bounded by retention, not by this (see sla-report-reader.ts);
 * what it returns, and this module holds and sorts, is bounded by the period. A longer look is
 * several reports.
 */
export const MAX_REPORT_DAYS = 92;

const PRIORITIES: readonly Priority[] = ['P1', 'P2', 'P3', 'P4'];

/** The period a report asks for, or a ValidationError naming the field that makes it unusable. */
export function reportPeriod(from: Date, to: Date): ReportPeriod {
  if (Number.isNaN(from.getTime())) throw new ValidationError('from is not a time', [{ path: 'from', message: 'not a valid time' }]);
  if (Number.isNaN(to.getTime())) throw new ValidationError('to is not a time', [{ path: 'to', message: 'not a valid time' }]);
  if (from.getTime() > to.getTime()) {
    throw new ValidationError(`from (${from.toISOString()}) is after to (${to.toISOString()})`, [
      { path: 'from', message: 'must not be after to' },
    ]);
  }
  if (to.getTime() - from.getTime() > MAX_REPORT_DAYS * 86_400_000) {
    throw new ValidationError(`a report covers at most ${MAX_REPORT_DAYS} days; ask for several shorter periods`, [
      { path: 'to', message: `at most ${MAX_REPORT_DAYS} days after from` },
    ]);
  }
  return { from, to };
}

export type FirstResponseOutcome = 'met' | 'breached' | 'pending';

/**
 * How the ticket fared against its first-response target. Breached: the monitor marked it, or the
 * first reply came after the due time. Met: answered, not breached. Pending: everything else,
 * including an unanswered ticket past its due time that the monitor has not marked yet (it does
 * within a run: a minute in AWS) and a ticket solved without a reply.
 */
export function firstResponseOutcome(ticket: ReportedTicket): FirstResponseOutcome {
  const answeredAt = ticket.firstResponseAt === null ? null : Date.parse(ticket.firstResponseAt);
  const answeredLate = answeredAt !== null && answeredAt > Date.parse(ticket.sla.firstResponseDueAt);
  if (ticket.sla.firstResponseBreachedAt !== null || answeredLate) return 'breached';
  return answeredAt === null ? 'pending' : 'met';
}

/**
 * The nearest-rank percentile of values sorted ascending: the smallest value with at least `p`
 * percent of the values at or below it, i.e. the one at (1-based) rank ⌈p/100 · n⌉. Always one
 * of the values, never an interpolation; the median of an even count is the lower middle value.
 * Null for no values.
 */
export function nearestRank(sortedAscending: readonly number[], p: number): number | null {
  if (sortedAscending.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sortedAscending.length));
  return sortedAscending[rank - 1]!;
}

/**
 * The report rows for tickets (from any queues; those created outside the period are left out):
 * one per queue and priority with at least one ticket, in `queueOrder` (the config's), then P1 to
 * P4. A queue missing from `queueOrder` comes after the configured ones, by name.
 */
export function slaReportRows(tickets: Iterable<ReportedTicket>, period: ReportPeriod, queueOrder: readonly string[]): SlaReportRow[] {
  const from = period.from.getTime();
  const to = period.to.getTime();
  const groups = new Map<string, { queue: string; priority: Priority; tickets: ReportedTicket[] }>();
  for (const ticket of tickets) {
    const created = Date.parse(ticket.createdAt);
    if (!(created >= from && created < to)) continue;
    const key = `${ticket.queue}\u0000${ticket.priority}`;
    const group = groups.get(key) ?? { queue: ticket.queue, priority: ticket.priority, tickets: [] };
    group.tickets.push(ticket);
    groups.set(key, group);
  }
  const queueRank = (queue: string) => {
    const index = queueOrder.indexOf(queue);
    return index === -1 ? queueOrder.length : index;
  };
  return [...groups.values()]
    .sort(
      (a, b) =>
        queueRank(a.queue) - queueRank(b.queue) ||
        (a.queue < b.queue ? -1 : a.queue > b.queue ? 1 : 0) ||
        PRIORITIES.indexOf(a.priority) - PRIORITIES.indexOf(b.priority),
    )
    .map((group) => reportRow(group.queue, group.priority, group.tickets));
}

function reportRow(queue: string, priority: Priority, tickets: readonly ReportedTicket[]): SlaReportRow {
  const counts = { met: 0, breached: 0, pending: 0 };
  const firstResponseSeconds: number[] = [];
  for (const ticket of tickets) {
    counts[firstResponseOutcome(ticket)] += 1;
    if (ticket.firstResponseAt !== null) {
      // Calendar time, whatever the queue's business hours: how long the customer waited. A
      // reply stamped before the post (clock skew between writers) counts as immediate.
      firstResponseSeconds.push(Math.max(0, Date.parse(ticket.firstResponseAt) - Date.parse(ticket.createdAt)) / 1000);
    }
  }
  firstResponseSeconds.sort((a, b) => a - b);
  const decided = counts.met + counts.breached;
  return {
    queue,
    priority,
    tickets: tickets.length,
    ...counts,
    percentMet: decided === 0 ? null : Math.round((counts.met / decided) * 1000) / 10,
    medianFirstResponseSeconds: nearestRank(firstResponseSeconds, 50),
    p90FirstResponseSeconds: nearestRank(firstResponseSeconds, 90),
  };
}

/**
 * The report an agent asked for: only the queues their groups name (and the config has), each
 * read once. An agent in no configured queue gets no rows.
 */
export async function slaReport(
  agent: Agent,
  period: ReportPeriod,
  ports: { reports: SlaReportSource; queues: readonly string[] },
): Promise<SlaReportResponse> {
  const visible = ports.queues.filter((queue) => agent.queues.includes(queue));
  const perQueue = await Promise.all(visible.map((queue) => ports.reports.ticketsCreatedIn(queue, period)));
  return {
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    rows: slaReportRows(perQueue.flat(), period, ports.queues),
  };
}
