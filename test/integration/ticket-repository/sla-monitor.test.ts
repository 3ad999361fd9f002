import { describe, expect, inject, it } from 'vitest';
import type { Priority } from '#contracts/classification';
import { DetailType, TicketSlaBreachedDetail, TicketSlaWarningDetail } from '#contracts/events';
import { runSlaMonitor, watchSlaDeadlines } from '#domain/sla/run-monitor';
import { enqueuePost } from '#domain/tickets/enqueue-post';
import { aClassification, aClassifiedPost, aSocialPost } from '#test/support/builders';
import { at, FOLLOW_UP_WINDOW, freshTicketTablePerTest, recordingPublisher, QUEUES } from './harness.ts';
import { DEFAULT_FIRST_RESPONSE, DEFAULT_SLA } from '#test/support/sla';

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
      const result = await enqueuePost(detail, { tickets: table.tickets, events: publisher, now: at(RECEIVED_AT), sla: DEFAULT_SLA, followUpWindowSeconds: FOLLOW_UP_WINDOW, queues: QUEUES });
      if (result.outcome !== 'ticket') throw new Error('the post was not routed');
      ids.push(result.ticketId);
    }
    expect(publisher.ofType(DetailType.ticketCreated)).toHaveLength(priorities.length);
    return ids;
  }

  const ticketsNamed = async (ids: string[]) => Promise.all(ids.map(async (id) => table.ticketItem(id)));

  describe('the SLA monitor against the table', () => {
    it('raises one warning and one breach per overdue clock when two monitors run at once', async () => {
      const overdue = await enqueue(['P1', 'P2', 'P2', 'P3', 'P3', 'P1']);
      const publisher = recordingPublisher();
      const monitor = () => runSlaMonitor({ tickets: table.anotherRunner(), events: publisher, now: at(FIVE_HOURS_LATER) });

      const [first, second] = await Promise.all([monitor(), monitor()]);

      const breaches = publisher.ofType(DetailType.ticketSlaBreached).map((event) => TicketSlaBreachedDetail.parse(event.detail));
      const warnings = publisher.ofType(DetailType.ticketSlaWarning).map((event) => TicketSlaWarningDetail.parse(event.detail));
      // Every ticket's first response is overdue; a P1's resolution (4h) too.
      const expected = [...overdue.map((id) => `${id} first_response`), `${overdue[0]} resolution`, `${overdue[5]} resolution`].sort();
      expect(breaches.map((breach) => `${breach.ticketId} ${breach.clock}`).sort()).toEqual(expected);
      expect(warnings.map((warning) => `${warning.ticketId} ${warning.clock}`).sort()).toEqual(expected);
      expect(publisher.published).toHaveLength(2 * expected.length);
      for (const breach of breaches) expect(breach).toMatchObject({ breachedAt: FIVE_HOURS_LATER });
      const reported = [...first!.breaches, ...second!.breaches].map((raised) => `${raised.ticketId} ${raised.clock}`);
      expect(reported.sort()).toEqual(expected);
      expect(first!.eventsPublished + second!.eventsPublished).toBe(2 * expected.length);
      for (const stored of await ticketsNamed(overdue)) {
        expect(stored).toMatchObject({ version: 2, sla: { firstResponseBreachedAt: FIVE_HOURS_LATER } });
        expect(stored).not.toHaveProperty('outbox');
      }
    });

    it('publishes nothing more when the monitor runs again before the next deadline', async () => {
      await enqueue(['P2', 'P3']);
      const publisher = recordingPublisher();
      await runSlaMonitor({ tickets: table.tickets, events: publisher, now: at(FIVE_HOURS_LATER) });

      // The P2's resolution warning is due 19h12m after the post.
      const again = await runSlaMonitor({ tickets: table.tickets, events: publisher, now: at('2026-11-23T05:11:59.999Z') });

      expect(again).toEqual({ examined: 0, warnings: [], breaches: [], eventsPublished: 0 });
      expect(publisher.ofType(DetailType.ticketSlaBreached)).toHaveLength(2);
    });

    it('leaves tickets whose first response is not yet due untouched', async () => {
      const [overdue, notYetDue] = await enqueue(['P2', 'P4']);
      const before = await table.ticketItem(notYetDue!);
      const publisher = recordingPublisher();

      const report = await runSlaMonitor({ tickets: table.tickets, events: publisher, now: at(FIVE_HOURS_LATER) });

      const raised = { ticketId: overdue, queue: 'delays', priority: 'P2', clock: 'first_response' };
      expect(report).toEqual({ examined: 1, warnings: [raised], breaches: [raised], eventsPublished: 2 });
      expect(publisher.published.map((event) => event.detail.ticketId)).toEqual([overdue, overdue]);
      expect(await table.ticketItem(notYetDue!)).toEqual(before);
      expect(before).toMatchObject({ version: 1, sla: { firstResponseBreachedAt: null } });
      // By the P4's first-response warning (38h24m), the P2's resolution warning (19h12m) is due too.
      const warnAt = new Date(Date.parse(RECEIVED_AT) + DEFAULT_FIRST_RESPONSE.P4 * 0.8 * 1000);
      expect((await table.tickets.findDue(warnAt, 10)).map((entry) => entry.ticket.id)).toEqual([overdue, notYetDue]);
    });

    it('does nothing before any warning is due', async () => {
      await enqueue(['P1', 'P2', 'P4']);
      const publisher = recordingPublisher();

      const report = await runSlaMonitor({ tickets: table.tickets, events: publisher, now: at('2026-11-22T10:11:59.999Z') });

      expect(report).toEqual({ examined: 0, warnings: [], breaches: [], eventsPublished: 0 });
      expect(publisher.published).toEqual([]);
    });
  });

  describe('watching for the deadlines of the coming minute', () => {
    /** A clock that moves only when the watch sleeps, and the waits it asked for. */
    function fakeTime(start: string) {
      let now = Date.parse(start);
      const waits: number[] = [];
      return {
        now: () => new Date(now),
        sleep: async (ms: number) => {
          waits.push(ms);
          now += ms;
        },
        waits,
      };
    }

    it('sleeps until each deadline within the look-ahead and raises it then, not a minute later', async () => {
      const [p1] = await enqueue(['P1']);
      const publisher = recordingPublisher();
      // The P1's warning is due at 10:12:00, its breach at 10:15:00.
      const time = fakeTime('2026-11-22T10:11:30.000Z');

      const report = await watchSlaDeadlines({ tickets: table.tickets, events: publisher, now: time.now, sleep: time.sleep }, 55_000);

      expect(time.waits).toEqual([30_000]);
      expect(report.warnings).toEqual([{ ticketId: p1, queue: 'delays', priority: 'P1', clock: 'first_response' }]);
      expect(report.breaches).toEqual([]);
      const warning = TicketSlaWarningDetail.parse(publisher.ofType(DetailType.ticketSlaWarning)[0]!.detail);
      expect(warning.warnedAt).toBe('2026-11-22T10:12:00.000Z');
    });

    it('ends at once when nothing falls due within the look-ahead', async () => {
      await enqueue(['P2']);
      const time = fakeTime('2026-11-22T10:00:00.000Z');

      const report = await watchSlaDeadlines({ tickets: table.tickets, events: recordingPublisher(), now: time.now, sleep: time.sleep }, 55_000);

      expect(time.waits).toEqual([]);
      expect(report).toEqual({ examined: 0, warnings: [], breaches: [], eventsPublished: 0 });
    });
  });
});
