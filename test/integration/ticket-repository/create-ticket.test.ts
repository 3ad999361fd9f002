import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { ACTIVE_STATUSES } from '#contracts/ticket';
import { deliverOutbox } from '#domain/tickets/deliver-outbox';
import { aSocialPost } from '#test/support/builders';
import { at, failingFor, freshTicketTablePerTest, opened, recordingPublisher, RETENTION_DAYS } from './harness.ts';

const RECEIVED_AT = '2026-11-22T10:00:00.000Z';

describe.each(inject('dynamoDbTargets'))('$name', (target) => {
  const table = freshTicketTablePerTest(target);
  const queueOf = (queue: string) => table.tickets.listQueue({ queue, statuses: ACTIVE_STATUSES, limit: 50 });
  const byType = async (ticketId: string) => {
    const items = await table.itemsOf(ticketId);
    return { tickets: items.filter((item) => item.type === 'ticket'), posts: items.filter((item) => item.type === 'post') };
  };

  describe('creating a ticket', () => {
    it('stores the ticket and its first post together, kept for the retention period', async () => {
      const { ticket, post, events } = opened({ receivedAt: RECEIVED_AT });

      await table.tickets.createTicket(ticket, post, events, new Date(ticket.createdAt));

      const stored = await byType(ticket.id);
      expect(stored.tickets).toHaveLength(1);
      expect(stored.tickets[0]).toMatchObject({ ...ticket, outbox: events });
      expect(stored.posts).toHaveLength(1);
      expect(stored.posts[0]).toMatchObject({ ticketId: ticket.id, post: post.post, classification: post.classification, receivedAt: RECEIVED_AT });
      const retentionEnds = Date.parse(RECEIVED_AT) / 1000 + RETENTION_DAYS * 86_400;
      for (const item of [...stored.tickets, ...stored.posts]) expect(item.expiresAt).toBe(retentionEnds);
      expect((await queueOf('delays')).tickets).toEqual([ticket]);
    });

    it('stores a ticket once however often the same post is enqueued', async () => {
      const { ticket, post, events } = opened();

      for (let attempt = 0; attempt < 3; attempt += 1) await table.tickets.createTicket(ticket, post, events, new Date(ticket.createdAt));

      const stored = await byType(ticket.id);
      expect(stored.tickets).toHaveLength(1);
      expect(stored.posts).toHaveLength(1);
      expect(await table.allItems()).toHaveLength(2);
    });

    it('stores a ticket once when the same post is enqueued 50 times at once', async () => {
      const { ticket, post, events } = opened();

      const claims = await Promise.all(Array.from({ length: 50 }, () => table.anotherRunner().createTicket(ticket, post, events, new Date(RECEIVED_AT))));

      const stored = await byType(ticket.id);
      expect(stored.tickets).toHaveLength(1);
      expect(stored.posts).toHaveLength(1);
      expect(await table.allItems()).toHaveLength(2);
      // The one call that stored the ticket holds its events; no other runner can claim them meanwhile.
      expect(claims.filter((claim) => claim !== null).map((claim) => claim?.events)).toEqual([events]);
      expect(await table.tickets.claimOutbox(ticket.id, new Date(RECEIVED_AT))).toBeNull();
    });

    it('never brings back events already published when the same post is enqueued again', async () => {
      const { ticket, post, events } = opened({ receivedAt: RECEIVED_AT });
      const claim = await table.tickets.createTicket(ticket, post, events, new Date(RECEIVED_AT));
      const publisher = recordingPublisher();
      expect(await deliverOutbox(ticket.id, { tickets: table.tickets, events: publisher, now: at(RECEIVED_AT) }, claim)).toBe(1);

      expect(await table.tickets.createTicket(ticket, post, events, new Date(RECEIVED_AT))).toBeNull();
      await Promise.all(Array.from({ length: 10 }, () => table.anotherRunner().createTicket(ticket, post, events, new Date(RECEIVED_AT))));

      expect(await table.tickets.claimOutbox(ticket.id, new Date(RECEIVED_AT))).toBeNull();
      expect(await table.tickets.findDue(new Date(RECEIVED_AT), 10)).toEqual([]);
      expect((await table.ticketItem(ticket.id))?.outbox).toBeUndefined();
      expect(publisher.published).toHaveLength(1);
    });

    it('keeps the posts of different tickets apart', async () => {
      const first = opened({ post: aSocialPost({ id: 'same-id', platform: 'generic' }) });
      const second = opened({ post: aSocialPost({ id: 'same-id', platform: 'x' }) });

      await table.tickets.createTicket(first.ticket, first.post, first.events, new Date(first.ticket.createdAt));
      await table.tickets.createTicket(second.ticket, second.post, second.events, new Date(second.ticket.createdAt));

      expect(first.ticket.id).not.toBe(second.ticket.id);
      expect((await byType(first.ticket.id)).posts.map((item) => item.post)).toEqual([first.post.post]);
      expect((await byType(second.ticket.id)).posts.map((item) => item.post)).toEqual([second.post.post]);
    });
  });

  describe('the order of writes', () => {
    const isPut = (type: 'post' | 'ticket') => (command: unknown) => command instanceof PutCommand && command.input.Item?.type === type;

    it('shows nothing in the queue when the post could not be stored', async () => {
      const { ticket, post, events } = opened();
      const failingPost = table.repositoryOn(failingFor(table.client, isPut('post')));

      await expect(failingPost.createTicket(ticket, post, events, new Date(ticket.createdAt))).rejects.toThrow('socket hang up');

      expect((await queueOf('delays')).tickets).toEqual([]);
      expect(await table.allItems()).toEqual([]);
    });

    it('shows the ticket in its queue only once its post is stored, and a retry completes it', async () => {
      const { ticket, post, events } = opened();
      const failingTicket = table.repositoryOn(failingFor(table.client, isPut('ticket')));

      await expect(failingTicket.createTicket(ticket, post, events, new Date(ticket.createdAt))).rejects.toThrow('socket hang up');

      expect((await queueOf('delays')).tickets).toEqual([]);
      expect((await byType(ticket.id)).posts).toHaveLength(1);

      await table.tickets.createTicket(ticket, post, events, new Date(ticket.createdAt));

      expect((await queueOf('delays')).tickets).toEqual([ticket]);
      const stored = await byType(ticket.id);
      expect(stored.posts).toHaveLength(1);
      expect(stored.tickets).toHaveLength(1);
    });
  });
});
