import { describe, expect, inject, it } from 'vitest';
import type { Priority } from '#contracts/classification';
import { ACTIVE_STATUSES, type Ticket, type TicketStatus } from '#contracts/ticket';
import { ValidationError } from '#domain/errors';
import type { QueueQuery } from '#domain/ports';
import { aClassification, aSocialPost } from '#test/support/builders';
import { freshTicketTablePerTest, opened } from './harness.ts';

interface Spec {
  name: string;
  priority: Priority;
  receivedAt: string;
  status?: TicketStatus;
  queue?: string;
}

// First-response due times (P1 15m, P2 1h, P3 4h) in the comments. `p2-0830` is solved, so no
// longer active.
const DELAYS: Spec[] = [
  { name: 'p3-0700', priority: 'P3', receivedAt: '2026-11-22T07:00:00.000Z', status: 'open' }, //            11:00
  { name: 'p1-1020', priority: 'P1', receivedAt: '2026-11-22T10:20:00.000Z' }, //                           10:35
  { name: 'p2-0900', priority: 'P2', receivedAt: '2026-11-22T09:00:00.000Z', status: 'pending_customer' }, // 10:00
  { name: 'p2-1030', priority: 'P2', receivedAt: '2026-11-22T10:30:00.000Z', status: 'open' }, //            11:30
  { name: 'p1-0930', priority: 'P1', receivedAt: '2026-11-22T09:30:00.000Z' }, //                           09:45
  { name: 'p3-0500', priority: 'P3', receivedAt: '2026-11-22T05:00:00.000Z' }, //                           09:00
  { name: 'p2-1005', priority: 'P2', receivedAt: '2026-11-22T10:05:00.000Z', status: 'pending_customer' }, // 11:05
  { name: 'p1-1100', priority: 'P1', receivedAt: '2026-11-22T11:00:00.000Z', status: 'open' }, //            11:15
  { name: 'p2-0815', priority: 'P2', receivedAt: '2026-11-22T08:15:00.000Z' }, //                           09:15
  { name: 'p1-1150', priority: 'P1', receivedAt: '2026-11-22T11:50:00.000Z' }, //                           12:05
  { name: 'p2-0830', priority: 'P2', receivedAt: '2026-11-22T08:30:00.000Z', status: 'solved' }, //          09:30
];

describe.each(inject('dynamoDbTargets'))('$name', (target) => {
  const table = freshTicketTablePerTest(target);

  /** Stores each ticket as it would be in that status; returns them by name. */
  async function store(specs: Spec[]): Promise<Map<string, Ticket>> {
    const stored = new Map<string, Ticket>();
    for (const spec of specs) {
      const { ticket, post, events } = opened({
        post: aSocialPost({ id: spec.name }),
        classification: aClassification({ priority: spec.priority }),
        queue: spec.queue ?? 'delays',
        receivedAt: spec.receivedAt,
      });
      const inStatus: Ticket = { ...ticket, status: spec.status ?? 'new' };
      await table.tickets.createTicket(inStatus, post, events, new Date(inStatus.createdAt));
      stored.set(spec.name, inStatus);
    }
    return stored;
  }

  const dueOrder = (tickets: Iterable<Ticket>) =>
    [...tickets].sort((a, b) => a.sla.firstResponseDueAt.localeCompare(b.sla.firstResponseDueAt) || a.id.localeCompare(b.id));

  async function walk(query: Omit<QueueQuery, 'cursor'>): Promise<Ticket[][]> {
    const pages: Ticket[][] = [];
    let cursor: string | undefined;
    do {
      const page = await table.tickets.listQueue({ ...query, cursor });
      pages.push(page.tickets);
      cursor = page.nextCursor;
      if (pages.length > 50) throw new Error('the cursor never reached the end of the queue');
    } while (cursor !== undefined);
    return pages;
  }

  describe('listing a queue', () => {
    it('lists new tickets oldest-due first, and only those of the queue', async () => {
      const stored = await store([
        ...DELAYS,
        { name: 'elsewhere', priority: 'P1', receivedAt: '2026-11-22T05:00:00.000Z', queue: 'baggage' },
      ]);
      const newInDelays = [...stored.values()].filter((ticket) => ticket.queue === 'delays' && ticket.status === 'new');

      const page = await table.tickets.listQueue({ queue: 'delays', statuses: ['new'], limit: 50 });

      expect(page).toEqual({ tickets: dueOrder(newInDelays) });
      expect(page.tickets.map((ticket) => ticket.firstPostId)).toEqual(['p3-0500', 'p2-0815', 'p1-0930', 'p1-1020', 'p1-1150']);
    });

    it('merges several statuses in due order', async () => {
      const stored = await store(DELAYS);
      const active = [...stored.values()].filter((ticket) => ACTIVE_STATUSES.includes(ticket.status));

      const page = await table.tickets.listQueue({ queue: 'delays', statuses: ACTIVE_STATUSES, limit: 50 });

      expect(page.tickets).toEqual(dueOrder(active));
      expect(page.tickets.map((ticket) => `${ticket.firstPostId} ${ticket.status}`)).toEqual([
        'p3-0500 new',
        'p2-0815 new',
        'p1-0930 new',
        'p2-0900 pending_customer',
        'p1-1020 new',
        'p3-0700 open',
        'p2-1005 pending_customer',
        'p1-1100 open',
        'p2-1030 open',
        'p1-1150 new',
      ]);
    });

    it('walks every ticket exactly once, page by page, in due order', async () => {
      const stored = await store(DELAYS);
      const active = dueOrder([...stored.values()].filter((ticket) => ACTIVE_STATUSES.includes(ticket.status)));

      const pages = await walk({ queue: 'delays', statuses: ACTIVE_STATUSES, limit: 3 });

      for (const page of pages) expect(page.length).toBeLessThanOrEqual(3);
      const walked = pages.flat();
      expect(new Set(walked.map((ticket) => ticket.id)).size).toBe(walked.length);
      expect(walked).toEqual(active);
    });

    it('walks one status page by page with any page size', async () => {
      const stored = await store(DELAYS);
      const open = dueOrder([...stored.values()].filter((ticket) => ticket.status === 'new'));

      for (const limit of [1, 2, 5, 6]) {
        const walked = (await walk({ queue: 'delays', statuses: ['new'], limit })).flat();
        expect(walked, `limit ${limit}`).toEqual(open);
      }
    });

    it('gives an empty last page for a queue with no tickets', async () => {
      await store(DELAYS);

      expect(await table.tickets.listQueue({ queue: 'catering', statuses: ACTIVE_STATUSES, limit: 10 })).toEqual({ tickets: [] });
    });

    it('rejects a cursor it did not hand out', async () => {
      await store(DELAYS);
      const first = await table.tickets.listQueue({ queue: 'delays', statuses: ACTIVE_STATUSES, limit: 2 });
      expect(first.nextCursor).toBeDefined();
      const decoded = JSON.parse(Buffer.from(first.nextCursor!, 'base64url').toString('utf8')) as Record<string, unknown>;
      const tampered = [
        'not-a-cursor',
        Buffer.from('{"new":').toString('base64url'),
        Buffer.from(JSON.stringify({ ...decoded, new: { gsi1sk: 42 } })).toString('base64url'),
        // Well-formed, but values DynamoDB itself would refuse as a starting key.
        Buffer.from(JSON.stringify({ ...decoded, new: { gsi1sk: '', id: 'tkt_0000000000000000' } })).toString('base64url'),
        Buffer.from(JSON.stringify({ ...decoded, new: { gsi1sk: 'x'.repeat(2000), id: 'tkt_0000000000000000' } })).toString('base64url'),
        Buffer.from(JSON.stringify({ ...decoded, open: 'finished' })).toString('base64url'),
        Buffer.from(JSON.stringify([decoded])).toString('base64url'),
      ];

      for (const cursor of tampered) {
        await expect(table.tickets.listQueue({ queue: 'delays', statuses: ACTIVE_STATUSES, limit: 2, cursor }), cursor).rejects.toThrow(
          ValidationError,
        );
      }
    });
  });
});
