import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { DynamoSlaReportReader } from '#adapters/sla-report-reader';
import { TicketStatus } from '#contracts/ticket';
import { aTicket, ticketItem } from '#test/support/ticket-items';
import { freshTicketTablePerTest, recordingClient } from './ticket-repository/harness.ts';

// The SLA report's reader against dynalite and DynamoDB Local, over ticket items written as the
// repository writes them: every status of the queue, the period kept, the rest of the table not.
const PERIOD = { from: new Date('2026-11-22T00:00:00.000Z'), to: new Date('2026-11-23T00:00:00.000Z') };

describe.each(inject('dynamoDbTargets'))('$name', (target) => {
  const table = freshTicketTablePerTest(target);

  it("reads the queue's tickets created in the period in every status, with only the fields the report needs", async () => {
    const inPeriod = [
      aTicket({ createdAt: '2026-11-22T00:00:00.000Z' }),
      aTicket({ createdAt: '2026-11-22T10:00:00.000Z', firstResponseAt: '2026-11-22T10:04:12.000Z' }),
      aTicket({ createdAt: '2026-11-22T11:00:00.000Z', status: 'pending_customer', firstResponseAt: '2026-11-22T11:30:00.000Z' }),
      aTicket({ createdAt: '2026-11-22T12:00:00.000Z', status: 'solved', firstResponseAt: '2026-11-22T12:20:00.000Z' }),
      aTicket({ createdAt: '2026-11-22T13:00:00.000Z', status: 'closed', breachedAt: '2026-11-22T14:00:00.000Z' }),
      aTicket({ createdAt: '2026-11-22T23:59:59.999Z', priority: 'P1', targetSeconds: 900 }),
    ];
    const outside = [
      aTicket({ createdAt: '2026-11-21T23:59:59.999Z' }),
      aTicket({ createdAt: '2026-11-23T00:00:00.000Z' }),
      aTicket({ createdAt: '2026-11-22T10:00:00.000Z', queue: 'baggage', category: 'baggage' }),
    ];
    for (const ticket of [...inPeriod, ...outside]) await table.put(ticketItem(ticket));
    // A post under a ticket: not in the queue index, never read.
    await table.put({ pk: `TICKET#${inPeriod[0]!.id}`, sk: 'POST#generic#post-1', type: 'post', receivedAt: '2026-11-22T00:00:00.000Z' });

    const { client, sent } = recordingClient(table.client);
    const read = await new DynamoSlaReportReader(client, table.name).ticketsCreatedIn('delays', PERIOD);

    const byCreation = (a: { createdAt: string }, b: { createdAt: string }) => a.createdAt.localeCompare(b.createdAt);
    expect(read.sort(byCreation)).toEqual(
      inPeriod.map((ticket) => ({
        queue: ticket.queue,
        priority: ticket.priority,
        createdAt: ticket.createdAt,
        firstResponseAt: ticket.firstResponseAt,
        sla: { firstResponseDueAt: ticket.sla.firstResponseDueAt, firstResponseBreachedAt: ticket.sla.firstResponseBreachedAt },
      })),
    );
    const queries = sent.map((command) => {
      expect(command).toBeInstanceOf(QueryCommand);
      return (command as QueryCommand).input;
    });
    expect(queries.map((query) => query.ExpressionAttributeValues?.[':partition']).sort()).toEqual(TicketStatus.options.map((status) => `QUEUE#delays#${status}`).sort());
    for (const query of queries) expect(query).toMatchObject({ IndexName: 'queue-due', ProjectionExpression: expect.any(String), FilterExpression: expect.any(String) });
  });

  it('keeps a ticket stored without milliseconds just inside the end of the period, which text comparison alone would drop', async () => {
    // "…T00:00:00Z" is the instant 00:00:00.000, inside a period ending at 00:00:00.500, but as
    // text it sorts after "…T00:00:00.500Z".
    await table.put(ticketItem(aTicket({ createdAt: '2026-11-23T00:00:00Z' })));
    await table.put(ticketItem(aTicket({ createdAt: '2026-11-23T00:00:01Z' })));
    const period = { from: PERIOD.from, to: new Date('2026-11-23T00:00:00.500Z') };
    const read = await new DynamoSlaReportReader(table.client, table.name).ticketsCreatedIn('delays', period);
    expect(read.map((ticket) => ticket.createdAt)).toEqual(['2026-11-23T00:00:00Z']);
  });

  it('follows every page of a partition larger than one query answers (1 MB)', async () => {
    // 300 tickets of about 4 KB each: some 1.2 MB in one index partition.
    const preview = 'x'.repeat(4000);
    const count = 300;
    for (let index = 0; index < count; index += 1) {
      await table.put(ticketItem(aTicket({ createdAt: new Date(Date.parse('2026-11-22T01:00:00.000Z') + index * 1000).toISOString(), preview })));
    }
    const { client, sent } = recordingClient(table.client);
    const read = await new DynamoSlaReportReader(client, table.name).ticketsCreatedIn('delays', PERIOD);
    expect(read).toHaveLength(count);
    const newPartition = sent.filter((command) => (command as QueryCommand).input.ExpressionAttributeValues?.[':partition'] === 'QUEUE#delays#new');
    expect(newPartition.length).toBeGreaterThan(1);
  });
});
