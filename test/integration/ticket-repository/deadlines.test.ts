import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import type { Priority } from '#contracts/classification';
import { DetailType } from '#contracts/events';
import { dueThresholds, markThresholds } from '#domain/sla/ticket-clocks';
import { deliverOutbox } from '#domain/tickets/deliver-outbox';
import type { OpenedTicket } from '#domain/tickets/open-ticket';
import { aClassification, aSocialPost } from '#test/support/builders';
import { at, freshTicketTablePerTest, later, opened, recordingPublisher } from './harness.ts';

const RECEIVED_AT = '2026-11-22T10:00:00.000Z';
const A_YEAR_LATER = new Date('2027-11-22T10:00:00.000Z');

describe.each(inject('dynamoDbTargets'))('$name', (target) => {
  const table = freshTicketTablePerTest(target);

  async function create(options: { id?: string; priority?: Priority; receivedAt?: string; published?: boolean } = {}): Promise<OpenedTicket> {
    const receivedAt = options.receivedAt ?? RECEIVED_AT;
    const created = opened({
      post: aSocialPost(options.id ? { id: options.id } : {}),
      classification: aClassification({ priority: options.priority ?? 'P2' }),
      receivedAt,
    });
    const claim = await table.tickets.createTicket(created.ticket, created.post, created.events, new Date(receivedAt));
    if (options.published ?? true) {
      await deliverOutbox(created.ticket.id, { tickets: table.tickets, events: recordingPublisher(), now: at(receivedAt) }, claim);
    } else {
      // Its creator could not publish and gave the events up, as deliverOutbox does when EventBridge fails.
      await table.tickets.releaseOutbox(claim!);
    }
    return created;
  }

  /** A ticket answered by an agent after the monitor read it: a new version, no clock running. */
  async function answer(ticketId: string, version: number) {
    await table.client.send(
      new UpdateCommand({
        TableName: table.name,
        Key: { pk: `TICKET#${ticketId}`, sk: 'TICKET' },
        UpdateExpression: 'SET version = :next, #status = :status',
        ConditionExpression: 'version = :read',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':read': version, ':next': version + 1, ':status': 'pending_customer' },
      }),
    );
  }

  describe('finding the tickets the SLA monitor must look at', () => {
    it('lists a new ticket whose events are unpublished as due at once', async () => {
      const { ticket } = await create({ priority: 'P4', published: false });

      expect(await table.tickets.findDue(new Date(RECEIVED_AT), 10)).toEqual([{ ticket, outboxPending: true }]);
    });

    it('lists a ticket whose events are published only from its first-response warning time', async () => {
      const { ticket } = await create({ priority: 'P1' });
      const dueAt = ticket.sla.clocks.first_response!.warnAt!;

      expect(ticket.sla.firstResponseDueAt).toBe('2026-11-22T10:15:00.000Z');
      expect(dueAt).toBe('2026-11-22T10:12:00.000Z');
      expect(await table.tickets.findDue(new Date(RECEIVED_AT), 10)).toEqual([]);
      expect(await table.tickets.findDue(later(dueAt, -1), 10)).toEqual([]);
      expect(await table.tickets.findDue(new Date(dueAt), 10)).toEqual([{ ticket, outboxPending: false }]);
    });

    it('lists a ticket as due at once even when its event time has no milliseconds', async () => {
      const { ticket } = await create({ receivedAt: '2026-11-22T10:00:00Z', published: false });
      const slightlyLater = await create({ receivedAt: '2026-11-22T10:00:00.500Z', published: false });

      const due = await table.tickets.findDue(new Date('2026-11-22T10:00:00.500Z'), 10);

      expect(due.map((entry) => entry.ticket.id)).toEqual([ticket.id, slightlyLater.ticket.id]);
    });

    describe('with tickets spread over the index', () => {
      // Due keys: a pending outbox is due at creation, otherwise at the first-response warning
      // (80% of the target: P1 12m, P2 48m, P3 3h12m, P4 38h24m).
      const tickets: Array<{ id: string; priority: Priority; receivedAt: string; published: boolean }> = [
        { id: 'p1-late', priority: 'P1', receivedAt: '2026-11-22T12:45:00.000Z', published: true }, //  12:57
        { id: 'p2-early', priority: 'P2', receivedAt: '2026-11-22T09:00:00.000Z', published: true }, // 09:48
        { id: 'p3-early', priority: 'P3', receivedAt: '2026-11-22T07:00:00.000Z', published: true }, // 10:12
        { id: 'p4', priority: 'P4', receivedAt: '2026-11-21T08:00:00.000Z', published: true }, //       22:24
        { id: 'pending-1', priority: 'P3', receivedAt: '2026-11-22T12:00:00.000Z', published: false }, // 12:00
        { id: 'p1-early', priority: 'P1', receivedAt: '2026-11-22T09:20:00.000Z', published: true }, // 09:32
        { id: 'p2-late', priority: 'P2', receivedAt: '2026-11-22T11:30:00.000Z', published: true }, //  12:18
        { id: 'pending-2', priority: 'P1', receivedAt: '2026-11-22T08:00:00.000Z', published: false }, // 08:00
        { id: 'p3-late', priority: 'P3', receivedAt: '2026-11-22T10:10:00.000Z', published: true }, //  13:22
        { id: 'p1-mid', priority: 'P1', receivedAt: '2026-11-22T10:50:00.000Z', published: true }, //   11:02
        { id: 'p2-mid', priority: 'P2', receivedAt: '2026-11-22T10:20:00.000Z', published: true }, //   11:08
        { id: 'pending-3', priority: 'P2', receivedAt: '2026-11-22T10:40:00.000Z', published: false }, // 10:40
      ];
      const oldestFirst = [
        'pending-2',
        'p1-early',
        'p2-early',
        'p3-early',
        'pending-3',
        'p1-mid',
        'p2-mid',
        'pending-1',
        'p2-late',
        'p1-late',
        'p3-late',
        'p4',
      ];

      async function createAll() {
        const created = new Map<string, OpenedTicket>();
        for (const ticket of tickets) created.set(ticket.id, await create(ticket));
        const idOf = (postId: string) => created.get(postId)!.ticket.id;
        const shards = new Set(await Promise.all([...created.values()].map(async ({ ticket }) => (await table.ticketItem(ticket.id))?.gsi2pk)));
        // The point of these tests is the merge across shards; make sure there is one to do.
        expect(shards.size).toBeGreaterThan(1);
        return idOf;
      }

      it('lists due tickets oldest first across shards', async () => {
        const idOf = await createAll();

        const due = await table.tickets.findDue(A_YEAR_LATER, 100);

        expect(due.map((entry) => entry.ticket.id)).toEqual(oldestFirst.map(idOf));
        expect(due.filter((entry) => entry.outboxPending).map((entry) => entry.ticket.id)).toEqual(
          ['pending-2', 'pending-3', 'pending-1'].map(idOf),
        );
      });

      it('returns at most the limit, the oldest first', async () => {
        const idOf = await createAll();

        const due = await table.tickets.findDue(A_YEAR_LATER, 5);

        expect(due.map((entry) => entry.ticket.id)).toEqual(oldestFirst.slice(0, 5).map(idOf));
      });

      it('leaves out tickets whose deadline is still ahead', async () => {
        const idOf = await createAll();

        const due = await table.tickets.findDue(new Date('2026-11-22T11:20:00.000Z'), 100);

        expect(due.map((entry) => entry.ticket.id)).toEqual(oldestFirst.slice(0, 7).map(idOf));
      });
    });
  });

  describe('marking SLA warnings and breaches', () => {
    const OVERDUE = new Date('2026-11-22T11:05:00.000Z');
    const mark = (ticket: OpenedTicket['ticket']) => markThresholds(ticket, dueThresholds(ticket, OVERDUE), OVERDUE);

    it('marks the warning and the breach exactly once when 20 monitors race for them', async () => {
      const { ticket } = await create();
      const change = mark(ticket);
      expect(change.events.map((event) => event.detailType)).toEqual([DetailType.ticketSlaWarning, DetailType.ticketSlaBreached]);

      const marked = await Promise.all(Array.from({ length: 20 }, () => table.anotherRunner().saveChange(ticket, mark(ticket), { now: OVERDUE })));

      expect(marked.filter(Boolean)).toHaveLength(1);
      const stored = await table.ticketItem(ticket.id);
      expect(stored).toMatchObject({
        version: 2,
        updatedAt: OVERDUE.toISOString(),
        sla: {
          firstResponseDueAt: ticket.sla.firstResponseDueAt,
          firstResponseBreachedAt: OVERDUE.toISOString(),
          clocks: { first_response: { warnedAt: OVERDUE.toISOString(), breachedAt: OVERDUE.toISOString(), warnAt: null } },
        },
      });
      expect(stored?.outbox).toEqual(change.events);
    });

    it('does not mark a ticket that changed since the monitor read it', async () => {
      const { ticket } = await create();
      await answer(ticket.id, ticket.version);

      expect(await table.tickets.saveChange(ticket, mark(ticket), { now: OVERDUE })).toBeNull();

      const stored = await table.ticketItem(ticket.id);
      expect(stored).toMatchObject({ version: 2, status: 'pending_customer', sla: { firstResponseBreachedAt: null } });
      expect(stored).not.toHaveProperty('outbox');
    });

    it('queues the marks behind events still unpublished, so they go out in the order they happened', async () => {
      const { ticket, events } = await create({ published: false });
      const change = mark(ticket);

      expect(await table.tickets.saveChange(ticket, change, { now: new Date(change.ticket.updatedAt) })).not.toBeNull();

      expect(await table.ticketItem(ticket.id)).toMatchObject({ version: 2, outbox: [...events, ...change.events], sla: { firstResponseBreachedAt: OVERDUE.toISOString() } });
    });

    it('leaves the events to publish and makes the ticket due at once', async () => {
      const { ticket } = await create();
      const change = mark(ticket);

      const saved = await table.tickets.saveChange(ticket, change, { now: new Date(change.ticket.updatedAt) });

      const due = await table.tickets.findDue(OVERDUE, 10);
      expect(due).toEqual([{ ticket: change.ticket, outboxPending: true }]);
      // The change's own write holds them; nobody else can claim them while it publishes.
      expect(saved?.claim).toMatchObject({ ticketId: ticket.id, events: change.events, ticket: change.ticket });
      expect(await table.tickets.claimOutbox(ticket.id, OVERDUE)).toBeNull();
    });

    it('puts the ticket under its next deadline (the resolution warning) once the marks are published', async () => {
      const { ticket } = await create();
      const saved = await table.tickets.saveChange(ticket, mark(ticket), { now: OVERDUE });
      const publisher = recordingPublisher();

      const published = await deliverOutbox(ticket.id, { tickets: table.tickets, events: publisher, now: () => OVERDUE }, saved?.claim);

      expect(published).toBe(2);
      expect(publisher.published.map((event) => event.detailType)).toEqual([DetailType.ticketSlaWarning, DetailType.ticketSlaBreached]);
      // P2: resolution in 1 day, warned at 80% of it.
      const resolutionWarning = ticket.sla.clocks.resolution!.warnAt!;
      expect(resolutionWarning).toBe('2026-11-23T05:12:00.000Z');
      expect(await table.tickets.findDue(new Date(Date.parse(resolutionWarning) - 1), 10)).toEqual([]);
      expect((await table.tickets.findDue(new Date(resolutionWarning), 10)).map((entry) => entry.ticket.id)).toEqual([ticket.id]);
      const stored = await table.ticketItem(ticket.id);
      expect(stored?.gsi2sk).toBe(`${resolutionWarning}#${ticket.id}`);
      expect(stored).not.toHaveProperty('outbox');
    });
  });
});
