import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import type { Priority } from '#contracts/classification';
import { ACTIVE_STATUSES, type Ticket, type TicketStatus } from '#contracts/ticket';
import { aClassification, aSocialPost } from '#test/support/builders';
import { withSla } from '#domain/sla/ticket-clocks';
import { agentChange } from '#domain/tickets/ticket-changes';
import { DEFAULT_SLA } from '#test/support/sla';
import { freshTicketTablePerTest, opened, recordingClient } from './harness.ts';

interface Spec {
  name: string;
  priority: Priority;
  receivedAt: string;
  status?: TicketStatus;
  queue?: string;
  firstResponseAt?: string | null;
  preview?: string;
}

// "Now" is 10:00, so a ticket is at risk when an SLA clock is due by 10:15 (or overdue).
// First-response targets: P1 15 min, P2 1 h (resolution P1 4 h, P2 1 d). First-response due times in the comments.
const NOW = new Date('2026-11-22T10:00:00.000Z');
const AT_RISK_BY = new Date('2026-11-22T10:15:00.000Z');
const DELAYS: Spec[] = [
  { name: 'overdue', priority: 'P1', receivedAt: '2026-11-22T09:30:00.000Z' }, //                                      09:45, at risk
  { name: 'due-at-the-edge', priority: 'P1', receivedAt: '2026-11-22T10:00:00.000Z', status: 'open' }, //           10:15, at risk
  { name: 'due-just-after', priority: 'P1', receivedAt: '2026-11-22T10:01:00.000Z' }, //                              10:16
  { name: 'answered', priority: 'P2', receivedAt: '2026-11-22T09:05:00.000Z', status: 'open', firstResponseAt: '2026-11-22T09:20:00.000Z' }, // 10:05
  { name: 'waiting-for-customer', priority: 'P2', receivedAt: '2026-11-22T08:00:00.000Z', status: 'pending_customer' }, // 09:00
  { name: 'solved', priority: 'P2', receivedAt: '2026-11-22T08:00:00.000Z', status: 'solved' }, //                      09:00
  { name: 'other-queue', priority: 'P1', receivedAt: '2026-11-22T09:55:00.000Z', queue: 'baggage' }, //              10:10
];

describe.each(inject('dynamoDbTargets'))('$name', (target) => {
  const table = freshTicketTablePerTest(target);

  async function store(specs: Spec[]): Promise<Ticket[]> {
    const stored: Ticket[] = [];
    for (const spec of specs) {
      const { ticket, post, events } = opened({
        post: aSocialPost({ id: spec.name }),
        classification: aClassification({ priority: spec.priority }),
        queue: spec.queue ?? 'delays',
        receivedAt: spec.receivedAt,
      });
      // An answered ticket went through an agent's reply, which stopped its first-response clock.
      const answered = spec.firstResponseAt
        ? withSla(ticket, agentChange(ticket, { kind: 'reply', replyId: 'r-1', text: 'On it.' }, { id: 'agent-1' }, new Date(spec.firstResponseAt)), new Date(spec.firstResponseAt), DEFAULT_SLA).ticket
        : ticket;
      const inStatus: Ticket = {
        ...answered,
        status: spec.status ?? 'new',
        ...(spec.preview ? { preview: spec.preview } : {}),
      };
      await table.tickets.createTicket(inStatus, post, events, new Date(inStatus.createdAt));
      stored.push(inStatus);
    }
    return stored;
  }

  describe('counting a queue', () => {
    it('counts the tickets being worked (new, open, waiting for the customer) in the queue, and no other', async () => {
      await store(DELAYS);

      expect(await table.tickets.countQueue({ queue: 'delays', statuses: ACTIVE_STATUSES })).toBe(5);
      expect(await table.tickets.countQueue({ queue: 'delays', statuses: ['solved'] })).toBe(1);
      expect(await table.tickets.countQueue({ queue: 'baggage', statuses: ACTIVE_STATUSES })).toBe(1);
      expect(await table.tickets.countQueue({ queue: 'catering', statuses: ACTIVE_STATUSES })).toBe(0);
    });

    it('counts as at risk the unanswered tickets due by the horizon, overdue ones and one due exactly then included', async () => {
      await store(DELAYS);

      const atRisk = await table.tickets.countQueue({ queue: 'delays', statuses: ['new', 'open'], dueBy: AT_RISK_BY });

      // overdue and due-at-the-edge; not due-just-after (later), answered (first response stopped, resolution due tomorrow),
      // waiting-for-customer and solved (not in those statuses), other-queue (another queue).
      expect(atRisk).toBe(2);
      expect(await table.tickets.countQueue({ queue: 'delays', statuses: ['new', 'open'], dueBy: NOW })).toBe(1);
    });

    it('queries the queue index for counts only, and never scans the table', async () => {
      await store(DELAYS);
      const { client, sent } = recordingClient(table.client);

      await table.repositoryOn(client).countQueue({ queue: 'delays', statuses: ACTIVE_STATUSES });
      await table.repositoryOn(client).countQueue({ queue: 'delays', statuses: ['new', 'open'], dueBy: AT_RISK_BY });

      expect(sent.some((command) => command instanceof ScanCommand)).toBe(false);
      const queries = sent.filter((command): command is QueryCommand => command instanceof QueryCommand).map((command) => command.input);
      expect(queries).toHaveLength(5);
      for (const query of queries) expect(query).toMatchObject({ IndexName: 'queue-due', Select: 'COUNT' });
    });

    it('counts every ticket when DynamoDB answers in more than one page (1 MB each)', async () => {
      // Twelve tickets of ~120 KB each: more than DynamoDB reads for one page of a query.
      const big = Array.from({ length: 12 }, (_, index) => ({
        name: `big-${index}`,
        priority: 'P1' as const,
        receivedAt: `2026-11-22T09:${String(10 + index).padStart(2, '0')}:00.000Z`,
        preview: 'x'.repeat(120_000),
      }));
      await store(big);
      const { client, sent } = recordingClient(table.client);

      expect(await table.repositoryOn(client).countQueue({ queue: 'delays', statuses: ['new'] })).toBe(12);
      expect(sent.length, 'queries for one count').toBeGreaterThan(1);
      sent.length = 0;
      expect(await table.repositoryOn(client).countQueue({ queue: 'delays', statuses: ['new'], dueBy: AT_RISK_BY })).toBe(12);
      expect(sent.length, 'queries for one at-risk count').toBeGreaterThan(1);
    });
  });
});
