import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TicketSla } from '#contracts/sla';
import { Ticket, TicketStatus } from '#contracts/ticket';
import * as z from '#contracts/zod';
import type { ReportedTicket, ReportPeriod, SlaReportSource } from '#domain/sla/sla-report';
import { queryPages } from './query-pages.ts';
import { queueKey } from './ticket-repository.ts';
import { ticketTable } from './ticket-table.ts';

/** The fields the report reads, as the repository stores them (older items may lack firstResponseAt). */
const ReportedItem = z.object({
  queue: Ticket.shape.queue,
  priority: Ticket.shape.priority,
  createdAt: Ticket.shape.createdAt,
  firstResponseAt: z._default(z.nullable(z.iso.datetime()), null),
  sla: z.pick(TicketSla, { firstResponseDueAt: true, firstResponseBreachedAt: true }),
});

/**
 * Only these attributes come back (names, since `queue` and friends may be reserved words).
 * It shrinks what crosses the network and what the function holds, not what is billed: DynamoDB
 * charges a query for every item it reads, whole, before the filter and the projection.
 */
const PROJECTION = {
  expression: '#queue, #priority, #createdAt, #firstResponseAt, #sla.#dueAt, #sla.#breachedAt',
  names: {
    '#queue': 'queue',
    '#priority': 'priority',
    '#createdAt': 'createdAt',
    '#firstResponseAt': 'firstResponseAt',
    '#sla': 'sla',
    '#dueAt': 'firstResponseDueAt',
    '#breachedAt': 'firstResponseBreachedAt',
  },
};

/**
 * A queue's tickets created in a period, for the SLA report, read from the `queue-due` index:
 * one partition per status (`QUEUE#<queue>#<status>`, as the repository writes them), every
 * status, page by page, never a table scan.
 *
 * Cost: the index is keyed by queue and status and sorted by due time, not by creation time, so
 * the period is a filter, not a key range. Each report reads every ticket of the queue still
 * within retention (`retentionDays`, 90 by default): about 0.5 RCU per 4 KB of tickets read,
 * eventually consistent, whether or not they fall in the period. Fine for thousands of tickets a
 * queue; if it gets big, the lever is an index made for it: a sparse GSI with partition
 * `CREATED#<queue>` and sort key `<createdAt>#<id>`, projecting only these fields, so the period
 * becomes a key condition and a report reads only its own tickets (sharded by day if one queue's
 * writes would make the partition hot). Past that, keep daily counts per queue and priority
 * up to date from the Ticket.* events and report from those.
 */
export class DynamoSlaReportReader implements SlaReportSource {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async ticketsCreatedIn(queue: string, period: ReportPeriod): Promise<ReportedTicket[]> {
    const perStatus = await Promise.all(TicketStatus.options.map((status) => this.readPartition(queueKey(queue, status), period)));
    return perStatus.flat();
  }

  private async readPartition(partition: string, period: ReportPeriod): Promise<ReportedTicket[]> {
    // Stored times are UTC, but not always to the millisecond ("…:05Z" and "…:05.120Z"), and as
    // strings those two order wrongly within the same second. So the filter is a second wider on
    // each side, and the exact [from, to) is kept here, comparing instants.
    const from = new Date(period.from.getTime() - 1000).toISOString();
    const to = new Date(period.to.getTime() + 1000).toISOString();
    const tickets: ReportedTicket[] = [];
    const pages = queryPages(this.client, {
      TableName: this.tableName,
      IndexName: ticketTable.indexes.queueDue.name,
      KeyConditionExpression: 'gsi1pk = :partition',
      FilterExpression: '#createdAt BETWEEN :from AND :to',
      ProjectionExpression: PROJECTION.expression,
      ExpressionAttributeNames: PROJECTION.names,
      ExpressionAttributeValues: { ':partition': partition, ':from': from, ':to': to },
    });
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const ticket = ReportedItem.parse(item);
        const created = Date.parse(ticket.createdAt);
        if (created >= period.from.getTime() && created < period.to.getTime()) tickets.push(ticket);
      }
    }
    return tickets;
  }
}
