import { describe, expect, inject, it } from 'vitest';
import type { OutgoingEvent } from '#contracts/event-names';
import { DetailType } from '#contracts/events';
import { PublishError } from '#domain/errors';
import type { EventPublisher } from '#domain/ports';
import { runSlaMonitor } from '#domain/sla/run-monitor';
import { deliverOutbox } from '#domain/tickets/deliver-outbox';
import { enqueuePost } from '#domain/tickets/enqueue-post';
import { agentChange } from '#domain/tickets/ticket-changes';
import { aClassifiedPost, aSocialPost } from '#test/support/builders';
import { RecordingPublisher as HalfTakingPublisher } from '#test/support/in-memory-ports';
import { at, FOLLOW_UP_WINDOW, freshTicketTablePerTest, later, opened, PAST_THE_LEASE_MS, recordingPublisher, QUEUES } from './harness.ts';
import { DEFAULT_SLA } from '#test/support/sla';

const RECEIVED_AT = '2026-11-22T10:00:00.000Z';
const NOW = new Date(RECEIVED_AT);

describe.each(inject('dynamoDbTargets'))('$name', (target) => {
  const table = freshTicketTablePerTest(target);

  /** A ticket whose creator could not publish its events and gave them up, as deliverOutbox does when EventBridge fails. */
  async function createdTicket() {
    const created = opened({ receivedAt: RECEIVED_AT });
    const claim = await table.tickets.createTicket(created.ticket, created.post, created.events, NOW);
    await table.tickets.releaseOutbox(claim!);
    return created;
  }

  describe('claiming the events a ticket change left to publish', () => {
    it('hands the events to one runner at a time', async () => {
      const { ticket, events } = await createdTicket();

      const claim = await table.tickets.claimOutbox(ticket.id, NOW);
      const second = await table.anotherRunner().claimOutbox(ticket.id, NOW);

      expect(claim).toMatchObject({ ticketId: ticket.id, events, ticket });
      expect(events.map((event) => event.detailType)).toEqual([DetailType.ticketCreated]);
      expect(second).toBeNull();
    });

    it('lets exactly one of many runners racing for the events have them', async () => {
      const { ticket } = await createdTicket();

      const claims = await Promise.all(Array.from({ length: 20 }, () => table.anotherRunner().claimOutbox(ticket.id, NOW)));

      expect(claims.filter((claim) => claim !== null)).toHaveLength(1);
    });

    it('lets another runner take the events over once the lease has expired', async () => {
      const { ticket, events } = await createdTicket();
      const first = await table.tickets.claimOutbox(ticket.id, NOW);

      expect(await table.anotherRunner().claimOutbox(ticket.id, later(RECEIVED_AT, 29_000))).toBeNull();
      const takeover = await table.anotherRunner().claimOutbox(ticket.id, later(RECEIVED_AT, PAST_THE_LEASE_MS));

      expect(takeover).toMatchObject({ ticketId: ticket.id, events });
      expect(takeover?.token).not.toBe(first?.token);
    });

    it('has nothing to hand out for a ticket that does not exist', async () => {
      expect(await table.tickets.claimOutbox('tkt_0000000000000000', NOW)).toBeNull();
      expect(await table.allItems()).toEqual([]);
    });
  });

  describe('the write that stores a change holding its events', () => {
    const AGENT = { id: 'agent-7', name: 'Robin' };
    const reply = (ticket: Parameters<typeof agentChange>[0], at: Date) => agentChange(ticket, { kind: 'reply', replyId: `r-${ticket.version}`, text: 'On it.' }, AGENT, at);

    it('gives the runner that stored a new ticket its events, and nobody else until the lease runs out', async () => {
      const { ticket, post, events } = opened({ receivedAt: RECEIVED_AT });

      const claim = await table.tickets.createTicket(ticket, post, events, NOW);

      expect(claim).toMatchObject({ ticketId: ticket.id, events, ticket });
      expect(await table.anotherRunner().claimOutbox(ticket.id, later(RECEIVED_AT, 29_000))).toBeNull();
      expect(await table.anotherRunner().claimOutbox(ticket.id, later(RECEIVED_AT, PAST_THE_LEASE_MS))).toMatchObject({ events });
    });

    it('claims, with a change, the events earlier changes left unpublished', async () => {
      const { ticket } = await createdTicket();
      const change = reply(ticket, later(RECEIVED_AT, 60_000));

      const saved = await table.tickets.saveChange(ticket, change, { now: later(RECEIVED_AT, 60_000) });

      expect(saved?.claim?.events.map((event) => event.detailType)).toEqual([DetailType.ticketCreated, DetailType.ticketResponded]);
      expect(saved?.claim?.ticket).toEqual(change.ticket);
      expect(await table.anotherRunner().claimOutbox(ticket.id, later(RECEIVED_AT, 60_000))).toBeNull();
    });

    it('leaves the lease with the runner still publishing, and that runner publishes the change too', async () => {
      const { ticket, post, events } = opened({ receivedAt: RECEIVED_AT });
      const publishing = await table.tickets.createTicket(ticket, post, events, NOW);
      const change = reply(ticket, later(RECEIVED_AT, 1_000));

      const saved = await table.anotherRunner().saveChange(ticket, change, { now: later(RECEIVED_AT, 1_000) });
      const publisher = recordingPublisher();
      const published = await deliverOutbox(ticket.id, { tickets: table.tickets, events: publisher, now: at(RECEIVED_AT) }, publishing);

      expect(saved).toEqual({ claim: null });
      expect(published).toBe(2);
      expect(publisher.published.map((event) => event.detailType)).toEqual([DetailType.ticketCreated, DetailType.ticketResponded]);
      expect(await table.ticketItem(ticket.id)).not.toHaveProperty('outbox');
      expect(await table.ticketItem(ticket.id)).not.toHaveProperty('outboxLeaseToken');
    });

    it('does not take over the expired lease of a runner that died: claiming the outbox does, as before', async () => {
      const { ticket, post, events } = opened({ receivedAt: RECEIVED_AT });
      const died = await table.tickets.createTicket(ticket, post, events, NOW);
      const after = later(RECEIVED_AT, PAST_THE_LEASE_MS);

      const saved = await table.tickets.saveChange(ticket, reply(ticket, after), { now: after });
      const takeover = await table.anotherRunner().claimOutbox(ticket.id, after);

      expect(saved).toEqual({ claim: null });
      expect(takeover?.events.map((event) => event.detailType)).toEqual([DetailType.ticketCreated, DetailType.ticketResponded]);
      expect(takeover?.token).not.toBe(died?.token);
    });
  });

  describe('completing a claim', () => {
    it('clears the outbox and puts the ticket under its next deadline, the first-response warning', async () => {
      const { ticket } = await createdTicket();
      const claim = await table.tickets.claimOutbox(ticket.id, NOW);

      await table.tickets.completeOutbox(claim!);

      const stored = await table.ticketItem(ticket.id);
      expect(stored).not.toHaveProperty('outbox');
      expect(stored).not.toHaveProperty('outboxLeaseUntil');
      expect(stored).not.toHaveProperty('outboxLeaseToken');
      expect(await table.tickets.claimOutbox(ticket.id, later(RECEIVED_AT, PAST_THE_LEASE_MS))).toBeNull();
      const dueAt = ticket.sla.clocks.first_response!.warnAt!;
      expect(await table.tickets.findDue(later(dueAt, -1), 10)).toEqual([]);
      expect(await table.tickets.findDue(new Date(dueAt), 10)).toEqual([{ ticket, outboxPending: false }]);
    });

    it('changes nothing when the lease was taken over, and the new holder finishes the job', async () => {
      const { ticket } = await createdTicket();
      const stale = await table.tickets.claimOutbox(ticket.id, NOW);
      const takeover = await table.anotherRunner().claimOutbox(ticket.id, later(RECEIVED_AT, PAST_THE_LEASE_MS));
      const before = await table.ticketItem(ticket.id);

      await expect(table.tickets.completeOutbox(stale!)).resolves.toBe(false);

      expect(await table.ticketItem(ticket.id)).toEqual(before);
      expect(before).toHaveProperty('outbox');

      await table.tickets.completeOutbox(takeover!);

      expect(await table.ticketItem(ticket.id)).not.toHaveProperty('outbox');
      expect(await table.tickets.findDue(new Date(ticket.sla.firstResponseDueAt), 10)).toEqual([{ ticket, outboxPending: false }]);
    });

    it('gives the lease up after a half-failed publish, taking off exactly the claimed events the bus took', async () => {
      const agent = { id: 'agent-7' };
      const { ticket } = await createdTicket();
      const answered = agentChange(ticket, { kind: 'reply', replyId: 'r-1', text: 'On it.' }, agent, later(RECEIVED_AT, 1_000));
      const first = await table.tickets.saveChange(ticket, answered, { now: later(RECEIVED_AT, 1_000) });
      await table.tickets.releaseOutbox(first!.claim!);
      const waiting = agentChange(answered.ticket, { kind: 'pending' }, agent, later(RECEIVED_AT, 2_000));
      const { claim } = (await table.tickets.saveChange(answered.ticket, waiting, { now: later(RECEIVED_AT, 2_000) }))!;
      // Another change lands while the claim's events are being published.
      const resolved = agentChange(waiting.ticket, { kind: 'resolve' }, agent, later(RECEIVED_AT, 3_000));
      await table.anotherRunner().saveChange(waiting.ticket, resolved, { now: later(RECEIVED_AT, 3_000) });

      // The bus took the first and the last of the three claimed events, not the middle one.
      await table.tickets.releaseOutbox(claim!, [0, 2]);

      const stored = await table.ticketItem(ticket.id);
      expect(claim?.events.map((event) => event.detailType)).toEqual([DetailType.ticketCreated, DetailType.ticketResponded, DetailType.ticketUpdated]);
      expect((stored?.outbox as OutgoingEvent[]).map((event) => event.detailType)).toEqual([DetailType.ticketResponded, DetailType.ticketResolved]);
      expect(stored).not.toHaveProperty('outboxLeaseToken');
      expect(await table.anotherRunner().claimOutbox(ticket.id, later(RECEIVED_AT, 3_000))).toMatchObject({ events: stored?.outbox });
    });

    it('does nothing when a claim is completed twice', async () => {
      const { ticket } = await createdTicket();
      const claim = await table.tickets.claimOutbox(ticket.id, NOW);
      await table.tickets.completeOutbox(claim!);
      const after = await table.ticketItem(ticket.id);

      await expect(table.tickets.completeOutbox(claim!)).resolves.toBe(false);

      expect(await table.ticketItem(ticket.id)).toEqual(after);
    });
  });

  describe('enqueueing a post while EventBridge fails', () => {
    const detail = () => aClassifiedPost({ post: aSocialPost({ id: 'delayed-flight' }), receivedAt: RECEIVED_AT });

    it('publishes Ticket.Created exactly once when a retry follows a failed publish', async () => {
      const publisher = recordingPublisher({ failures: 1 });
      const post = detail();
      const ports = (now: Date) => ({ tickets: table.tickets, events: publisher, now: () => now, sla: DEFAULT_SLA, followUpWindowSeconds: FOLLOW_UP_WINDOW, queues: QUEUES });

      await expect(enqueuePost(post, ports(NOW))).rejects.toThrow('ThrottlingException');
      expect(await table.ticketItem(opened(post).ticket.id)).toHaveProperty('outbox');

      // Lambda retries a failed asynchronous invocation a minute later at the earliest.
      const retry = await enqueuePost(post, ports(later(RECEIVED_AT, 60_000)));
      const repeat = await enqueuePost(post, ports(later(RECEIVED_AT, 120_000)));

      expect(retry).toMatchObject({ outcome: 'ticket', eventsPublished: 1 });
      expect(repeat).toMatchObject({ outcome: 'ticket', eventsPublished: 0 });
      expect(publisher.ofType(DetailType.ticketCreated)).toHaveLength(1);
      expect(publisher.published).toHaveLength(1);
      // The ticket, its post, the post's ticket, the author's current ticket, one history entry.
      expect((await table.allItems()).map((item) => item.type).sort()).toEqual(['author', 'history', 'post', 'post-ref', 'ticket']);
    });

    it('gives the events up when publishing fails, so an immediate retry publishes them once', async () => {
      const publisher = recordingPublisher({ failures: 1 });
      const post = detail();
      const ports = { tickets: table.tickets, events: publisher, now: at(RECEIVED_AT), sla: DEFAULT_SLA, followUpWindowSeconds: FOLLOW_UP_WINDOW, queues: QUEUES };

      await expect(enqueuePost(post, ports)).rejects.toThrow('ThrottlingException');
      const quickRetry = await enqueuePost(post, ports);
      const monitorAfterwards = await runSlaMonitor({ tickets: table.tickets, events: publisher, now: at(RECEIVED_AT) });

      expect(quickRetry).toMatchObject({ outcome: 'ticket', eventsPublished: 1 });
      expect(monitorAfterwards.eventsPublished).toBe(0);
      expect(publisher.ofType(DetailType.ticketCreated)).toHaveLength(1);
      expect(publisher.published).toHaveLength(1);
    });

    it('takes off the outbox the events a half-failed publish did hand on, so the retry publishes only the rest, each once', async () => {
      const first = detail();
      const followUp = aClassifiedPost({ post: aSocialPost({ id: 'still-waiting', author: first.post.author }), receivedAt: later(RECEIVED_AT, 60_000).toISOString() });
      const ports = (publisher: EventPublisher, now: string) => ({ tickets: table.tickets, events: publisher, now: at(now), sla: DEFAULT_SLA, followUpWindowSeconds: FOLLOW_UP_WINDOW, queues: QUEUES });
      // The ticket's own publish failed outright: Ticket.Created waits in the outbox, unleased.
      await expect(enqueuePost(first, ports(recordingPublisher({ failures: 1 }), RECEIVED_AT))).rejects.toThrow('ThrottlingException');
      // The follow-up's runner claims both events with its change; the bus takes the follow-up's
      // Ticket.Updated but not Ticket.Created, even after the publisher's own retries.
      const publisher = new HalfTakingPublisher();
      publisher.failAt = new Set([0]);

      await expect(enqueuePost(followUp, ports(publisher, followUp.receivedAt))).rejects.toThrow(PublishError);

      const left = await table.ticketItem(opened(first).ticket.id);
      expect((left?.outbox as OutgoingEvent[]).map((event) => event.detailType)).toEqual([DetailType.ticketCreated]);
      expect(left).not.toHaveProperty('outboxLeaseToken');
      publisher.failAt = new Set();
      const retry = await enqueuePost(followUp, ports(publisher, followUp.receivedAt));

      expect(retry).toMatchObject({ outcome: 'duplicate', eventsPublished: 1 });
      expect(publisher.published.map((event) => `${event.detailType} ${String(event.detail.postId ?? event.detail.firstPostId)}`)).toEqual([
        `${DetailType.ticketUpdated} still-waiting`,
        `${DetailType.ticketCreated} ${first.post.id}`,
      ]);
      expect(await table.ticketItem(opened(first).ticket.id)).not.toHaveProperty('outbox');
    });

    it('leaves the events of a runner that died holding them to the SLA monitor once its lease expires', async () => {
      const publisher = recordingPublisher();
      const { ticket, post: stored, events } = opened(detail());
      // The runner that stored the ticket holds its outbox, and dies before publishing.
      await table.tickets.createTicket(ticket, stored, events, new Date(RECEIVED_AT));

      const monitorDuringLease = await runSlaMonitor({ tickets: table.tickets, events: publisher, now: at(later(RECEIVED_AT, 29_000).toISOString()) });
      const monitorAfterLease = await runSlaMonitor({ tickets: table.tickets, events: publisher, now: at(later(RECEIVED_AT, PAST_THE_LEASE_MS).toISOString()) });

      expect(monitorDuringLease).toEqual({ examined: 1, warnings: [], breaches: [], eventsPublished: 0 });
      expect(monitorAfterLease).toEqual({ examined: 1, warnings: [], breaches: [], eventsPublished: 1 });
      expect(publisher.ofType(DetailType.ticketCreated)).toHaveLength(1);
    });
  });
});
