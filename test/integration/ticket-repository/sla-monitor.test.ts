import { describe, expect, inject, it } from 'vitest';
import type { Priority } from '#contracts/classification';
import { DetailType, TicketSlaBreachedDetail } from '#contracts/events';
import { runSlaMonitor } from '#domain/sla/run-monitor';
import { enqueuePost } from '#domain/tickets/enqueue-post';
import { aClassification, aClassifiedPost, aSocialPost } from '#test/support/builders';
import { at, FIRST_RESPONSE, FOLLOW_UP_WINDOW, freshTicketTablePerTest, recordingPublisher } from './harness.ts';

const RECEIVED_AT = '2026-11-22T10:00:00.000Z';
/** Five hours on: every P1, P2 and P3 ticket from RECEIVED_AT is overdue, a P4 is not (2 days). */
const FIVE_HOURS_LATER = '2026-11-22T15:00:00.000Z';

describe.each(inject('dynamoDbTargets'))('$name', (target) => {
  const table = freshTicketTablePerTest(target);

  /** Enqueues one post per priority, as the enqueue function would; returns the ticket ids. */
  async function enqueue(priorities: Priority[]): Promise<string[]> {
    const publisher = recordingPublisher();
    const ids: string[] = [];
    for (const priority of priorities) {
      const detail = aClassifiedPost({ post: aSocialPost(), classification: aClassification({ priority }), receivedAt: RECEIVED_AT });
      const result = await enqueuePost(detail, { tickets: table.tickets, events: publisher, now: at(RECEIVED_AT), firstResponse: FIRST_RESPONSE, followUpWindowSeconds: FOLLOW_UP_WINDOW });
      if (result.outcome !== 'ticket') throw new Error('the post was not routed');
      ids.push(result.ticketId);
    }
    expect(publisher.ofType(DetailType.ticketCreated)).toHaveLength(priorities.length);
    return ids;
  }

  const ticketsNamed = async (ids: string[]) => Promise.all(ids.map(async (id) => table.ticketItem(id)));

  describe('the SLA monitor against the table', () => {
    it('publishes one Ticket.SlaBreached per overdue ticket when two monitors run at once', async () => {
      const overdue = await enqueue(['P1', 'P2', 'P2', 'P3', 'P3', 'P1']);
      const publisher = recordingPublisher();
      const monitor = () => runSlaMonitor({ tickets: table.anotherRunner(), events: publisher, now: at(FIVE_HOURS_LATER) });

      const [first, second] = await Promise.all([monitor(), monitor()]);

      const breaches = publisher.ofType(DetailType.ticketSlaBreached).map((event) => TicketSlaBreachedDetail.parse(event.detail));
      expect(breaches.map((breach) => breach.ticketId).sort()).toEqual([...overdue].sort());
      expect(publisher.published).toHaveLength(overdue.length);
      for (const breach of breaches) expect(breach).toMatchObject({ clock: 'first_response', breachedAt: FIVE_HOURS_LATER });
      expect([...first!.breached, ...second!.breached].sort()).toEqual([...overdue].sort());
      expect(first!.eventsPublished + second!.eventsPublished).toBe(overdue.length);
      for (const stored of await ticketsNamed(overdue)) {
        expect(stored).toMatchObject({ version: 2, sla: { firstResponseBreachedAt: FIVE_HOURS_LATER } });
        expect(stored).not.toHaveProperty('outbox');
      }
    });

    it('publishes nothing more when the monitor runs again', async () => {
      await enqueue(['P1', 'P2']);
      const publisher = recordingPublisher();
      await runSlaMonitor({ tickets: table.tickets, events: publisher, now: at(FIVE_HOURS_LATER) });

      const again = await runSlaMonitor({ tickets: table.tickets, events: publisher, now: at('2026-11-25T15:00:00.000Z') });

      expect(again).toEqual({ examined: 0, breached: [], eventsPublished: 0 });
      expect(publisher.ofType(DetailType.ticketSlaBreached)).toHaveLength(2);
    });

    it('leaves tickets whose first response is not yet due untouched', async () => {
      const [overdue, notYetDue] = await enqueue(['P2', 'P4']);
      const before = await table.ticketItem(notYetDue!);
      const publisher = recordingPublisher();

      const report = await runSlaMonitor({ tickets: table.tickets, events: publisher, now: at(FIVE_HOURS_LATER) });

      expect(report).toEqual({ examined: 1, breached: [overdue], eventsPublished: 1 });
      expect(publisher.published.map((event) => event.detail.ticketId)).toEqual([overdue]);
      expect(await table.ticketItem(notYetDue!)).toEqual(before);
      expect(before).toMatchObject({ version: 1, sla: { firstResponseBreachedAt: null } });
      const dueAt = new Date(Date.parse(RECEIVED_AT) + FIRST_RESPONSE.P4 * 1000);
      expect((await table.tickets.findDue(dueAt, 10)).map((entry) => entry.ticket.id)).toEqual([notYetDue]);
    });

    it('does nothing before any first response is due', async () => {
      await enqueue(['P1', 'P2', 'P4']);
      const publisher = recordingPublisher();

      const report = await runSlaMonitor({ tickets: table.tickets, events: publisher, now: at('2026-11-22T10:14:59.999Z') });

      expect(report).toEqual({ examined: 0, breached: [], eventsPublished: 0 });
      expect(publisher.published).toEqual([]);
    });
  });
});
