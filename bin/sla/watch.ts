import { setTimeout as sleep } from 'node:timers/promises';
import { SlaClockName, TicketSla } from '#contracts/sla';
import { Ticket } from '#contracts/ticket';
import * as z from '#contracts/zod';
import { AT_RISK_WITHIN_MS } from '#domain/tickets/queue-summaries';
import { formatDuration, formatInstant, table, truncate } from './format.ts';
import { SupportApiError, supportApiClient, type SupportApiGet } from './support-api-client.ts';

/** What the watch reads of a ticket, as the support API answers it (shared/contracts/ticket.ts). */
const WatchedTicket = z.object({
  id: Ticket.shape.id,
  queue: Ticket.shape.queue,
  priority: Ticket.shape.priority,
  status: Ticket.shape.status,
  preview: Ticket.shape.preview,
  sla: z.pick(TicketSla, { dueAt: true, clocks: true }),
});
type WatchedTicket = z.infer<typeof WatchedTicket>;
const QueuesAnswer = z.object({ queues: z.array(z.object({ name: z.string() })) });
const TicketsAnswer = z.object({ tickets: z.array(WatchedTicket), nextCursor: z.optional(z.string()) });

/** Tickets per page, the API's most. */
const PAGE = 100;
/** A queue's tickets looked at per refresh, at most: the local stack is for one machine's worth. */
const MAX_TICKETS_PER_QUEUE = 1000;
const PREVIEW_LENGTH = 48;

export interface AtRiskTicket {
  id: string;
  queue: string;
  priority: string;
  status: string;
  /** The clock falling due (first_response, next_response, resolution), when the ticket says. */
  clock: SlaClockName | null;
  dueAt: Date;
  preview: string;
}

export interface WatchSnapshot {
  at: Date;
  /** The queues the token works, in config order. */
  queues: string[];
  /** Tickets being worked (new, open, waiting for the customer) that were looked at. */
  watched: number;
  /** Due within 15 minutes or overdue, most overdue first. */
  atRisk: AtRiskTicket[];
  /** Queues with more tickets than one refresh looks at. */
  capped: string[];
}

/**
 * Tickets whose SLA is due within 15 minutes (the at-risk horizon of GET /api/queues) or
 * already past, most overdue first. A ticket with no running clock (`sla.dueAt` null) is not.
 */
export function atRiskTickets(tickets: readonly WatchedTicket[], now: Date): AtRiskTicket[] {
  const horizon = now.getTime() + AT_RISK_WITHIN_MS;
  return tickets
    .filter((ticket) => ticket.sla.dueAt !== null && Date.parse(ticket.sla.dueAt) <= horizon)
    .map((ticket) => {
      const dueAt = new Date(ticket.sla.dueAt!);
      const clock = SlaClockName.options.find((name) => {
        const due = ticket.sla.clocks[name]?.dueAt;
        return due !== null && due !== undefined && Date.parse(due) === dueAt.getTime();
      });
      return { id: ticket.id, queue: ticket.queue, priority: ticket.priority, status: ticket.status, clock: clock ?? null, dueAt, preview: ticket.preview };
    })
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.id.localeCompare(b.id));
}

/** Every queue the token works (GET /api/queues), and each one's tickets being worked. */
export async function readSnapshot(get: SupportApiGet, now: Date): Promise<WatchSnapshot> {
  const { queues } = await get('/api/queues', QueuesAnswer);
  const names = queues.map((queue) => queue.name);
  const perQueue = await Promise.all(names.map((queue) => queueTickets(get, queue)));
  const tickets = perQueue.flatMap((read) => read.tickets);
  return {
    at: now,
    queues: names,
    watched: tickets.length,
    atRisk: atRiskTickets(tickets, now),
    capped: names.filter((_, index) => perQueue[index]!.capped),
  };
}

async function queueTickets(get: SupportApiGet, queue: string): Promise<{ tickets: WatchedTicket[]; capped: boolean }> {
  const tickets: WatchedTicket[] = [];
  let cursor: string | undefined;
  do {
    const query = new URLSearchParams({ limit: String(PAGE), ...(cursor === undefined ? {} : { cursor }) });
    const page = await get(`/api/queues/${encodeURIComponent(queue)}/tickets?${query}`, TicketsAnswer);
    tickets.push(...page.tickets);
    cursor = page.nextCursor;
  } while (cursor !== undefined && tickets.length < MAX_TICKETS_PER_QUEUE);
  return { tickets, capped: cursor !== undefined };
}

export function formatSnapshot(snapshot: WatchSnapshot): string {
  const horizon = `${AT_RISK_WITHIN_MS / 60_000} minutes`;
  const queues = snapshot.queues.length === 0 ? 'no queues (the token names none)' : snapshot.queues.join(', ');
  const capped = snapshot.capped.length === 0 ? '' : `  (only the first ${MAX_TICKETS_PER_QUEUE} tickets of ${snapshot.capped.join(', ')} looked at)\n`;
  if (snapshot.atRisk.length === 0) {
    return `  nothing at risk: none of the ${plural(snapshot.watched, 'ticket')} being worked in ${queues} is due within ${horizon}\n${capped}`;
  }
  const rows = snapshot.atRisk.map((ticket) => [
    ticket.id,
    ticket.queue,
    ticket.priority,
    ticket.status,
    ticket.clock ?? '-',
    dueIn(ticket.dueAt, snapshot.at),
    truncate(ticket.preview, PREVIEW_LENGTH),
  ]);
  return (
    table(['ticket', 'queue', 'priority', 'status', 'clock', 'due', 'preview'], rows) +
    `\n  ${snapshot.atRisk.length} of ${plural(snapshot.watched, 'ticket')} being worked at risk (due within ${horizon} or overdue) in ${queues}\n${capped}`
  );
}

function dueIn(dueAt: Date, now: Date): string {
  const seconds = (dueAt.getTime() - now.getTime()) / 1000;
  return seconds >= 0 ? `in ${formatDuration(seconds)}` : `overdue by ${formatDuration(seconds)}`;
}

export interface SlaWatchCommand {
  url: string;
  token: string;
  intervalMs: number;
  /** Where frames go; on a terminal each replaces the last. */
  out?: { write(text: string): unknown; isTTY?: boolean };
  err?: { write(text: string): unknown };
  now?: () => Date;
  /** Stops the watch (Ctrl-C); it then resolves 0. */
  signal?: AbortSignal;
  /** Stop after this many refreshes (tests). */
  frames?: number;
}

/**
 * `npx redress sla --watch`: the at-risk tickets of every queue the token works, refreshed every
 * interval until stopped. On a terminal each refresh clears the screen; anywhere else (a pipe, a
 * log) refreshes follow one another under a timestamp line. Resolves to the exit status: 1 when
 * the first refresh fails (nothing to watch: no stack, a bad token), else 0. A later failure (the
 * stack restarting) is shown in place of the table and the watch goes on.
 */
export async function runSlaWatch(command: SlaWatchCommand): Promise<number> {
  const out = command.out ?? process.stdout;
  const err = command.err ?? process.stderr;
  const now = command.now ?? (() => new Date());
  const get = supportApiClient(command.url, command.token);
  const every = formatDuration(command.intervalMs / 1000);
  for (let shown = 0; !command.signal?.aborted; ) {
    const at = now();
    let frame: string;
    try {
      frame = formatSnapshot(await readSnapshot(get, at));
    } catch (error) {
      if (!(error instanceof SupportApiError)) throw error;
      if (shown === 0) {
        err.write(`redress: ${error.message}\n`);
        return 1;
      }
      frame = `  ${error.message}\n  trying again in ${every}\n`;
    }
    if (command.signal?.aborted) break;
    if (out.isTTY) {
      out.write(`\x1b[H\x1b[2J\nredress sla --watch  ${command.url}  ${formatInstant(at)}  every ${every} (Ctrl-C to stop)\n\n${frame}`);
    } else {
      out.write(`${shown === 0 ? '' : '\n'}--- ${formatInstant(at)} at-risk tickets on ${command.url} ---\n${frame}`);
    }
    shown += 1;
    if (command.frames !== undefined && shown >= command.frames) break;
    try {
      await sleep(command.intervalMs, undefined, { signal: command.signal });
    } catch {
      break;
    }
  }
  return 0;
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
