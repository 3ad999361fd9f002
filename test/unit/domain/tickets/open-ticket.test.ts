import { describe, expect, it } from 'vitest';
import { TicketCreatedDetail } from '#contracts/events';
import { Ticket } from '#contracts/ticket';
import { dueThresholds, nextDeadline } from '#domain/sla/ticket-clocks';
import { openTicket } from '#domain/tickets/open-ticket';
import { ticketIdForPost } from '#domain/tickets/ticket-id';
import { DEFAULT_SLA } from '#test/support/sla';

const detail = {
  post: { platform: 'generic' as const, kind: 'post' as const, id: 'post-1', author: { id: 'u1', handle: '@t' }, text: 'Flight delayed 4 hours', createdAt: '2026-11-22T09:00:00Z' },
  classification: {
    isIssue: true,
    category: 'delay' as const,
    priority: 'P2' as const,
    confidence: 0.8,
    entities: { flightNumbers: [], airports: [], bookingRefs: [], delayMinutes: 240 },
    language: 'en',
    reasons: [],
  },
  queue: 'delays',
  receivedAt: '2026-11-22T10:00:00.000Z',
};

describe('opening a ticket', () => {
  it('opens a new ticket in the queue with its first-response due time from the priority', () => {
    const { ticket } = openTicket(detail, DEFAULT_SLA);
    expect(Ticket.parse(ticket)).toEqual(ticket);
    expect(ticket).toMatchObject({
      queue: 'delays',
      status: 'new',
      priority: 'P2',
      version: 1,
      createdAt: '2026-11-22T10:00:00.000Z',
      postCount: 1,
      sla: { firstResponseDueAt: '2026-11-22T11:00:00.000Z', firstResponseBreachedAt: null },
    });
  });

  it('yields the very same ticket and event for a redelivered event', () => {
    expect(openTicket(detail, DEFAULT_SLA)).toEqual(openTicket(structuredClone(detail), DEFAULT_SLA));
  });

  it('emits Ticket.Created as the contract describes it', () => {
    const { ticket, events } = openTicket(detail, DEFAULT_SLA);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ source: 'redress.tickets', detailType: 'Ticket.Created' });
    expect(TicketCreatedDetail.parse(events[0]!.detail)).toMatchObject({ ticketId: ticket.id, postId: 'post-1', platform: 'generic' });
  });

  it('derives URL-safe ids that differ between platforms and posts', () => {
    const ids = [ticketIdForPost('generic', 'a'), ticketIdForPost('x', 'a'), ticketIdForPost('generic', 'b')];
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^tkt_[0-9a-z]{16}$/);
  });

  it('starts the first-response and resolution clocks from the post, the warning at 80% first', () => {
    const { ticket, events } = openTicket(detail, DEFAULT_SLA);
    expect(ticket.sla.clocks.first_response).toMatchObject({ targetSeconds: 3600, dueAt: '2026-11-22T11:00:00.000Z', warnAt: '2026-11-22T10:48:00.000Z' });
    expect(ticket.sla.clocks.resolution).toMatchObject({ targetSeconds: 86_400, dueAt: '2026-11-23T10:00:00.000Z' });
    expect(ticket.sla.clocks.next_response).toBeUndefined();
    expect(ticket.sla.dueAt).toBe('2026-11-22T11:00:00.000Z');
    expect(events[0]!.detail).toMatchObject({ firstResponseDueAt: '2026-11-22T11:00:00.000Z' });
    expect(nextDeadline(ticket)).toBe('2026-11-22T10:48:00.000Z');
    expect(dueThresholds(ticket, new Date('2026-11-22T10:47:59.999Z'))).toEqual([]);
    expect(dueThresholds(ticket, new Date('2026-11-22T10:48:00.000Z'))).toEqual([{ clock: 'first_response', kind: 'warning' }]);
    expect(dueThresholds(ticket, new Date('2026-11-22T11:00:00.000Z'))).toEqual([
      { clock: 'first_response', kind: 'warning' },
      { clock: 'first_response', kind: 'breach' },
    ]);
  });
});
