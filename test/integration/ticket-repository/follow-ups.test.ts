import { describe, expect, inject, it } from 'vitest';
import { DetailType, type PostClassifiedDetail } from '#contracts/events';
import type { Ticket } from '#contracts/ticket';
import { enqueuePost, type EnqueuePorts } from '#domain/tickets/enqueue-post';
import { openTicket } from '#domain/tickets/open-ticket';
import { agentChange } from '#domain/tickets/ticket-changes';
import { deliverOutbox } from '#domain/tickets/deliver-outbox';
import { aClassification, aClassifiedPost, aSocialPost } from '#test/support/builders';
import { at, FOLLOW_UP_WINDOW, freshTicketTablePerTest, later, recordingPublisher, type RecordingPublisher, QUEUES } from './harness.ts';
import { DEFAULT_SLA } from '#test/support/sla';

const FIRST_AT = '2026-11-22T10:00:00.000Z';
const AGENT = { id: 'agent-7', name: 'Robin' };

describe.each(inject('dynamoDbTargets'))('$name', (target) => {
  const table = freshTicketTablePerTest(target);

  /** A post by `authorId`, `minutes` after the first, to `queue`. */
  function postBy(authorId: string, id: string, minutes = 0, overrides: Partial<PostClassifiedDetail> = {}): PostClassifiedDetail {
    return aClassifiedPost({
      post: aSocialPost({ id, author: { id: authorId, handle: `@${authorId}` } }),
      receivedAt: later(FIRST_AT, minutes * 60_000).toISOString(),
      ...overrides,
    });
  }

  function ports(publisher: RecordingPublisher, now = FIRST_AT, tickets = table.tickets): EnqueuePorts {
    return { tickets, events: publisher, now: at(now), sla: DEFAULT_SLA, followUpWindowSeconds: FOLLOW_UP_WINDOW, queues: QUEUES };
  }

  /** The tickets in the table, as stored. */
  async function storedTickets(): Promise<Array<Record<string, unknown>>> {
    return (await table.allItems()).filter((item) => item.type === 'ticket');
  }

  async function resolve(ticketId: string, publisher: RecordingPublisher, now: string): Promise<Ticket> {
    const stored = await table.tickets.findTicket(ticketId);
    const change = agentChange(stored!.ticket, { kind: 'resolve' }, AGENT, new Date(now));
    expect(await table.tickets.saveChange(stored!.ticket, change, { now: new Date(change.ticket.updatedAt) })).not.toBeNull();
    await deliverOutbox(ticketId, ports(publisher, now));
    return change.ticket;
  }

  describe('a follow-up from the same author in the same queue', () => {
    it('joins the open ticket: one ticket, both posts, Ticket.Updated after Ticket.Created', async () => {
      const publisher = recordingPublisher();
      const first = await enqueuePost(postBy('maria', 'p-1'), ports(publisher));
      const second = await enqueuePost(postBy('maria', 'p-2', 30), ports(publisher, later(FIRST_AT, 30 * 60_000).toISOString()));

      expect(first).toMatchObject({ outcome: 'ticket' });
      expect(second).toEqual({ outcome: 'follow_up', ticketId: first.outcome === 'ticket' ? first.ticketId : '', eventsPublished: 1 });
      const view = await table.tickets.getTicketView(second.outcome === 'follow_up' ? second.ticketId : '');
      expect(view?.ticket).toMatchObject({ postCount: 2, version: 2, status: 'new', replyTo: { postId: 'p-2' } });
      expect(view?.posts.map((stored) => stored.post.id)).toEqual(['p-1', 'p-2']);
      expect(view?.history.map((entry) => entry.detailType)).toEqual([DetailType.ticketCreated, DetailType.ticketUpdated]);
      expect(publisher.published.map((event) => [event.detailType, event.detail.change ?? null])).toEqual([
        [DetailType.ticketCreated, null],
        [DetailType.ticketUpdated, 'follow_up'],
      ]);
      expect(await storedTickets()).toHaveLength(1);
    });

    it('raises the ticket to the more urgent priority of the follow-up', async () => {
      const publisher = recordingPublisher();
      const first = await enqueuePost(postBy('ali', 'p-1', 0, { classification: aClassification({ priority: 'P3' }) }), ports(publisher));
      await enqueuePost(postBy('ali', 'p-2', 5, { classification: aClassification({ priority: 'P2' }) }), ports(publisher));

      const stored = await table.tickets.findTicket(first.outcome === 'ticket' ? first.ticketId : '');
      expect(stored?.ticket.priority).toBe('P2');
      expect(publisher.ofType(DetailType.ticketUpdated)[0]?.detail).toMatchObject({ priority: 'P2', previousPriority: 'P3' });
    });

    it('opens a new ticket once the window has passed since the author last wrote', async () => {
      const publisher = recordingPublisher();
      const first = await enqueuePost(postBy('kim', 'p-1'), ports(publisher));
      const late = await enqueuePost(postBy('kim', 'p-2', FOLLOW_UP_WINDOW / 60 + 1), ports(publisher));

      expect(late.outcome).toBe('ticket');
      expect(late).not.toMatchObject({ ticketId: first.outcome === 'ticket' ? first.ticketId : '' });
      expect(await storedTickets()).toHaveLength(2);
    });

    it('counts the window from the last post, so a conversation that keeps going stays one ticket', async () => {
      const publisher = recordingPublisher();
      const windowMinutes = FOLLOW_UP_WINDOW / 60;
      await enqueuePost(postBy('lee', 'p-1'), ports(publisher));
      await enqueuePost(postBy('lee', 'p-2', windowMinutes - 10), ports(publisher));
      const third = await enqueuePost(postBy('lee', 'p-3', 2 * windowMinutes - 20), ports(publisher));

      expect(third.outcome).toBe('follow_up');
      expect(await storedTickets()).toHaveLength(1);
    });

    it('goes to a ticket of its own in another queue', async () => {
      const publisher = recordingPublisher();
      await enqueuePost(postBy('sam', 'p-1', 0, { queue: 'delays' }), ports(publisher));
      const other = await enqueuePost(postBy('sam', 'p-2', 5, { queue: 'baggage' }), ports(publisher));

      expect(other.outcome).toBe('ticket');
      expect((await storedTickets()).map((ticket) => ticket.queue).sort()).toEqual(['baggage', 'delays']);
    });

    it('reopens a solved ticket, with Ticket.Reopened naming the post', async () => {
      const publisher = recordingPublisher();
      const first = await enqueuePost(postBy('noor', 'p-1'), ports(publisher));
      const ticketId = first.outcome === 'ticket' ? first.ticketId : '';
      await resolve(ticketId, publisher, later(FIRST_AT, 60 * 60_000).toISOString());

      const followUp = await enqueuePost(postBy('noor', 'p-2', 120), ports(publisher, later(FIRST_AT, 120 * 60_000).toISOString()));

      expect(followUp).toMatchObject({ outcome: 'follow_up', ticketId });
      expect((await table.tickets.findTicket(ticketId))?.ticket).toMatchObject({ status: 'open', solvedAt: null, postCount: 2, version: 3 });
      expect(publisher.ofType(DetailType.ticketReopened).map((event) => event.detail)).toEqual([
        expect.objectContaining({ ticketId, postId: 'p-2', previousStatus: 'solved', status: 'open', actor: expect.objectContaining({ kind: 'customer', id: 'noor' }) }),
      ]);
    });

    it('adds nothing when the same follow-up is delivered again', async () => {
      const publisher = recordingPublisher();
      await enqueuePost(postBy('ana', 'p-1'), ports(publisher));
      const followUp = postBy('ana', 'p-2', 10);
      await enqueuePost(followUp, ports(publisher));
      const itemsBefore = await table.allItems();

      const again = await enqueuePost(followUp, ports(publisher));

      expect(again).toMatchObject({ outcome: 'duplicate', eventsPublished: 0 });
      expect(await table.allItems()).toEqual(itemsBefore);
      expect(publisher.published).toHaveLength(2);
    });
  });

  describe('a post that is no issue, from an author with an open ticket', () => {
    /** "here is my booking ref", a photo: classified as no issue, routed to no queue. */
    function answerBy(authorId: string, id: string, minutes: number): PostClassifiedDetail {
      const notIssue = aClassification({ isIssue: false, category: 'not_issue', priority: 'P4', entities: { flightNumbers: [], airports: [], bookingRefs: [], delayMinutes: null } });
      return postBy(authorId, id, minutes, { queue: null, classification: notIssue });
    }
    const minutesAfter = (minutes: number) => later(FIRST_AT, minutes * 60_000).toISOString();

    it('joins the ticket the author wrote to last, in whichever queue, and leaves its priority and category as they were', async () => {
      const publisher = recordingPublisher();
      await enqueuePost(postBy('rae', 'p-1', 0, { queue: 'delays' }), ports(publisher));
      const bags = await enqueuePost(postBy('rae', 'p-2', 5, { queue: 'baggage', classification: aClassification({ category: 'baggage', priority: 'P3' }) }), ports(publisher));
      const answer = await enqueuePost(answerBy('rae', 'p-3', 30), ports(publisher, minutesAfter(30)));

      expect(answer).toEqual({ outcome: 'follow_up', ticketId: bags.outcome === 'ticket' ? bags.ticketId : '', eventsPublished: 1 });
      const view = await table.tickets.getTicketView(answer.outcome === 'follow_up' ? answer.ticketId : '');
      expect(view?.ticket).toMatchObject({ queue: 'baggage', category: 'baggage', priority: 'P3', postCount: 2, replyTo: { postId: 'p-3' } });
      expect(view?.posts.map((stored) => [stored.post.id, stored.classification.category])).toEqual([
        ['p-2', 'baggage'],
        ['p-3', 'not_issue'],
      ]);
      expect(publisher.ofType(DetailType.ticketUpdated).map((event) => event.detail)).toEqual([expect.objectContaining({ change: 'follow_up', postId: 'p-3' })]);
    });

    it('answers a ticket waiting for the customer: it is open again', async () => {
      const publisher = recordingPublisher();
      const first = await enqueuePost(postBy('tom', 'p-1'), ports(publisher));
      const ticketId = first.outcome === 'ticket' ? first.ticketId : '';
      const { ticket } = (await table.tickets.findTicket(ticketId))!;
      const pending = agentChange(ticket, { kind: 'pending' }, AGENT, new Date(minutesAfter(10)));
      expect(await table.tickets.saveChange(ticket, pending, { now: new Date(pending.ticket.updatedAt) })).not.toBeNull();
      await deliverOutbox(ticketId, ports(publisher, minutesAfter(10)));
      expect((await table.tickets.findTicket(ticketId))?.ticket.status).toBe('pending_customer');

      const answer = await enqueuePost(answerBy('tom', 'p-2', 20), ports(publisher, minutesAfter(20)));

      expect(answer).toMatchObject({ outcome: 'follow_up', ticketId });
      expect((await table.tickets.findTicket(ticketId))?.ticket).toMatchObject({ status: 'open', postCount: 2 });
    });

    it('stores nothing when the author has no ticket, or wrote to theirs longer ago than the window', async () => {
      const publisher = recordingPublisher();
      expect(await enqueuePost(answerBy('una', 'p-1', 0), ports(publisher))).toEqual({ outcome: 'not_routed' });
      expect(await table.allItems()).toEqual([]);

      await enqueuePost(postBy('vic', 'p-2'), ports(publisher));
      const itemsBefore = await table.allItems();
      const late = FOLLOW_UP_WINDOW / 60 + 1;
      expect(await enqueuePost(answerBy('vic', 'p-3', late), ports(publisher, minutesAfter(late)))).toEqual({ outcome: 'not_routed' });
      expect(await table.allItems()).toEqual(itemsBefore);
    });

    it('never joins the ticket of another author', async () => {
      const publisher = recordingPublisher();
      await enqueuePost(postBy('wes', 'p-1'), ports(publisher));
      expect(await enqueuePost(answerBy('xia', 'p-2', 5), ports(publisher))).toEqual({ outcome: 'not_routed' });
      expect(await storedTickets()).toEqual([expect.objectContaining({ postCount: 1 })]);
    });

    it('adds nothing when the same answer is delivered again', async () => {
      const publisher = recordingPublisher();
      await enqueuePost(postBy('yas', 'p-1'), ports(publisher));
      await enqueuePost(answerBy('yas', 'p-2', 5), ports(publisher));
      const itemsBefore = await table.allItems();

      expect(await enqueuePost(answerBy('yas', 'p-2', 5), ports(publisher))).toMatchObject({ outcome: 'duplicate', eventsPublished: 0 });
      expect(await table.allItems()).toEqual(itemsBefore);
      expect(publisher.published).toHaveLength(2);
    });
  });

  describe('many follow-ups at once', () => {
    it('makes 50 posts from one author, delivered concurrently, one ticket with 50 posts and one event each', async () => {
      const publisher = recordingPublisher();
      const posts = Array.from({ length: 50 }, (_, index) => postBy('busy-author', `burst-${index}`, index / 60));

      // Each delivery on a runner of its own, as 50 Lambda invocations would be.
      const results = await Promise.all(posts.map((post) => enqueuePost(post, ports(publisher, FIRST_AT, table.anotherRunner()))));

      const tickets = await storedTickets();
      expect(tickets).toHaveLength(1);
      expect(tickets[0]).toMatchObject({ postCount: 50, version: 50 });
      expect(new Set(results.map((result) => (result.outcome === 'not_routed' ? null : result.ticketId)))).toEqual(new Set([tickets[0]!.id]));
      expect(results.filter((result) => result.outcome === 'ticket')).toHaveLength(1);
      const stored = (await table.allItems()).filter((item) => item.type === 'post');
      expect(stored.map((item) => (item.post as { id: string }).id).sort()).toEqual(posts.map((post) => post.post.id).sort());
      // Every change's events reach the bus once, whichever runner published them.
      const remaining = await deliverOutbox(String(tickets[0]!.id), ports(publisher));
      expect(publisher.ofType(DetailType.ticketCreated)).toHaveLength(1);
      expect(publisher.ofType(DetailType.ticketUpdated)).toHaveLength(49);
      expect(publisher.published.length + remaining).toBe(50);

      // Delivered all over again, concurrently: nothing more.
      const again = await Promise.all(posts.map((post) => enqueuePost(post, ports(publisher, FIRST_AT, table.anotherRunner()))));
      expect(again.every((result) => result.outcome !== 'not_routed' && result.ticketId === tickets[0]!.id)).toBe(true);
      expect((await storedTickets())[0]).toMatchObject({ postCount: 50, version: 50 });
    });
  });

  describe('changes and the outbox', () => {
    it('refuses a change made from a version that has moved on', async () => {
      const publisher = recordingPublisher();
      const first = await enqueuePost(postBy('jo', 'p-1'), ports(publisher));
      const { ticket } = (await table.tickets.findTicket(first.outcome === 'ticket' ? first.ticketId : ''))!;
      const claim = agentChange(ticket, { kind: 'claim' }, AGENT, new Date(FIRST_AT));
      const resolveToo = agentChange(ticket, { kind: 'resolve' }, { id: 'agent-8' }, new Date(FIRST_AT));

      expect(await table.tickets.saveChange(ticket, claim, { now: new Date(claim.ticket.updatedAt) })).not.toBeNull();
      expect(await table.tickets.saveChange(ticket, resolveToo, { now: new Date(resolveToo.ticket.updatedAt) })).toBeNull();
      expect((await table.tickets.findTicket(ticket.id))?.ticket).toMatchObject({ status: 'open', version: 2, assignee: { id: AGENT.id } });
    });

    it('publishes a change that lands while earlier events are being published, and loses neither', async () => {
      const publisher = recordingPublisher();
      const first = await enqueuePost(postBy('eli', 'p-1'), ports(publisher));
      const ticketId = first.outcome === 'ticket' ? first.ticketId : '';
      const { ticket } = (await table.tickets.findTicket(ticketId))!;
      const reply = agentChange(ticket, { kind: 'reply', replyId: 'r-1', text: 'Sorry about this, we are on it.' }, AGENT, new Date(FIRST_AT));
      // The reply's own write claims its event; a second change lands before it completes, and
      // leaves the lease with the first.
      const claim = (await table.tickets.saveChange(ticket, reply, { now: new Date(reply.ticket.updatedAt) }))?.claim;
      const resolved = agentChange(reply.ticket, { kind: 'resolve' }, AGENT, new Date(FIRST_AT));
      expect(await table.tickets.saveChange(reply.ticket, resolved, { now: new Date(resolved.ticket.updatedAt) })).toEqual({ claim: null });
      await table.tickets.completeOutbox(claim!);

      expect(claim?.events.map((event) => event.detailType)).toEqual([DetailType.ticketResponded]);
      expect((await table.ticketItem(ticketId))?.outbox).toEqual(resolved.events);
      expect(await deliverOutbox(ticketId, ports(publisher))).toBe(1);
      expect((await table.ticketItem(ticketId))?.outbox).toBeUndefined();
    });

    it('takes off exactly the events it published when it published several and another change followed', async () => {
      const post = postBy('ira', 'p-1');
      // The ticket is stored but its Ticket.Created is not yet published; a reply lands on top.
      const opened = openTicket({ ...post, queue: 'delays' }, DEFAULT_SLA);
      const created = await table.tickets.createTicket(opened.ticket, opened.post, opened.events, new Date(opened.ticket.createdAt));
      // Its creator could not publish and gave the events up.
      await table.tickets.releaseOutbox(created!);
      const reply = agentChange(opened.ticket, { kind: 'reply', replyId: 'r-1', text: 'On it.' }, AGENT, new Date(FIRST_AT));

      // The reply's write claims the outbox, Ticket.Created still in it.
      const claim = (await table.tickets.saveChange(opened.ticket, reply, { now: new Date(reply.ticket.updatedAt) }))?.claim;
      const resolved = agentChange(reply.ticket, { kind: 'resolve' }, AGENT, new Date(FIRST_AT));
      await table.tickets.saveChange(reply.ticket, resolved, { now: new Date(resolved.ticket.updatedAt) });
      await table.tickets.completeOutbox(claim!);

      expect(claim?.events.map((event) => event.detailType)).toEqual([DetailType.ticketCreated, DetailType.ticketResponded]);
      expect((await table.ticketItem(opened.ticket.id))?.outbox).toEqual(resolved.events);
    });

    it('shows a ticket with its posts, replies and history in one view', async () => {
      const publisher = recordingPublisher();
      const first = await enqueuePost(postBy('val', 'p-1'), ports(publisher));
      const ticketId = first.outcome === 'ticket' ? first.ticketId : '';
      const { ticket } = (await table.tickets.findTicket(ticketId))!;
      const reply = agentChange(ticket, { kind: 'reply', replyId: 'r-1', text: '  We have rebooked you on UA 456.  ' }, AGENT, new Date(later(FIRST_AT, 5 * 60_000)));
      await table.tickets.saveChange(ticket, reply, { now: new Date(reply.ticket.updatedAt) });

      // Before its event is published, the reply already shows, as pending.
      const pending = await table.tickets.getTicketView(ticketId);
      expect(pending?.replies).toEqual([
        expect.objectContaining({ replyId: 'r-1', text: 'We have rebooked you on UA 456.', delivery: { status: 'pending', attempts: 0 }, replyTo: { platform: 'generic', postId: 'p-1' } }),
      ]);
      await deliverOutbox(ticketId, ports(publisher));

      const view = await table.tickets.getTicketView(ticketId);
      expect(view?.ticket).toMatchObject({ status: 'open', firstResponseAt: later(FIRST_AT, 5 * 60_000).toISOString(), assignee: { kind: 'agent', id: AGENT.id } });
      expect(view?.posts).toHaveLength(1);
      expect(view?.replies).toEqual(pending?.replies);
      expect(view?.history.map((entry) => [entry.version, entry.detailType])).toEqual([
        [1, DetailType.ticketCreated],
        [2, DetailType.ticketResponded],
      ]);
      expect(await table.tickets.getTicketView('tkt_0000000000000000')).toBeNull();
    });
  });
});
