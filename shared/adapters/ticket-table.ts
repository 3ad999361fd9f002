import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { Ticket } from '#contracts/ticket';

/** A ticket's own attributes: what a queue listing reads from the index, and all it copies there. */
const TICKET_ATTRIBUTES = Object.keys(Ticket.shape).sort();

/**
 * The one DynamoDB table, described once and read by the CDK construct, the local runtime
 * and the tests, so the deployed table and the local one cannot drift.
 *
 * Access patterns (../shared/DESIGN.md "Data"):
 * - a ticket with its posts, replies and history: pk = TICKET#<id>, sk = TICKET | POST#<platform>#<postId> | ...
 * - a queue's tickets by status in SLA-due order: index `queue-due` (gsi1pk = QUEUE#<queue>#<status>),
 *   holding the ticket's own attributes only: the outbox and its lease stay out, so publishing a
 *   change's events (claim, complete) writes the table item and not the index
 * - tickets whose SLA deadline has passed: sparse index `deadline` (only items with a running clock
 *   or unpublished events), keys only: the monitor reads the few due tickets from the table, and no
 *   write but one that moves a deadline touches the index
 * - a delivery handed on once (dedupe): pk = DEDUPE#<key>
 * - an author's open ticket in a queue: pk = AUTHOR#<platform>#<authorId>#QUEUE#<queue>
 */
export const ticketTable = {
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'expiresAt',
  indexes: {
    queueDue: { name: 'queue-due', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: { type: 'INCLUDE', attributes: TICKET_ATTRIBUTES } },
    deadline: { name: 'deadline', partitionKey: 'gsi2pk', sortKey: 'gsi2sk', projection: { type: 'KEYS_ONLY', attributes: [] } },
  },
} as const;

export type TicketTableIndex = (typeof ticketTable.indexes)[keyof typeof ticketTable.indexes];

/** CreateTable input for DynamoDB APIs (dynalite, DynamoDB Local); CDK builds the same shape. */
export function ticketTableCreateInput(tableName: string): CreateTableCommandInput {
  const indexes: TicketTableIndex[] = Object.values(ticketTable.indexes);
  const attributeNames = [
    ticketTable.partitionKey,
    ticketTable.sortKey,
    ...indexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: attributeNames.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: ticketTable.partitionKey, KeyType: 'HASH' },
      { AttributeName: ticketTable.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: indexes.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection:
        index.projection.type === 'INCLUDE'
          ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection.attributes] }
          : { ProjectionType: index.projection.type },
    })),
  };
}
