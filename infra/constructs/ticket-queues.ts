import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table } from 'aws-cdk-lib/aws-dynamodb';
import type { EventBus } from 'aws-cdk-lib/aws-events';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ticketTable } from '#adapters/ticket-table';
import type { RedressConfig } from '#contracts/config';
import { deliveryPolicy, functions } from '../topology.ts';
import { RedressFunction } from './redress-function.ts';

export interface TicketQueuesProps {
  bus: EventBus;
  deadLetters: IQueue;
  config: RedressConfig;
  deletionProtection: boolean;
  logRetentionDays: number;
}

/** The ticket table and the enqueue function that fills it from routed posts. */
export class TicketQueues extends Construct {
  readonly table: Table;
  readonly enqueue: RedressFunction;

  constructor(scope: Construct, id: string, props: TicketQueuesProps) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: ticketTable.partitionKey, type: AttributeType.STRING },
      sortKey: { name: ticketTable.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: ticketTable.timeToLiveAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.deletionProtection,
      // Tickets are the brand's record of what customers said; never dropped with the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of Object.values(ticketTable.indexes)) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType[index.projection.type],
        ...(index.projection.type === 'INCLUDE' ? { nonKeyAttributes: [...index.projection.attributes] } : {}),
      });
    }

    this.enqueue = new RedressFunction(this, 'Enqueue', {
      spec: functions.enqueue,
      serviceName: 'redress-enqueue',
      config: props.config,
      logRetentionDays: props.logRetentionDays,
      environment: { TABLE_NAME: this.table.tableName, EVENT_BUS_NAME: props.bus.eventBusName },
      // A post that keeps failing after Lambda's retries waits in the dead-letter queue for redrive.
      asyncFailure: { deadLetterQueue: props.deadLetters, ...deliveryPolicy.asyncInvoke },
    });
    this.table.grantReadWriteData(this.enqueue);
    props.bus.grantPutEventsTo(this.enqueue);
  }
}
