import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { RedressConfig } from '#contracts/config';
import { deliveryPolicy, functions } from '../topology.ts';
import { RedressFunction } from './redress-function.ts';

export interface RepliesProps {
  table: Table;
  /** The platform secret: it also holds X_ACCESS_TOKEN and META_PAGE_ACCESS_TOKEN for replies. */
  platformSecrets: ISecret;
  deadLetters: IQueue;
  config: RedressConfig;
  logRetentionDays: number;
}

/**
 * The reply function: sends each agent reply (Ticket.Responded) to the platform it answers, at
 * most once, and records the outcome on the reply. The bus rule that invokes it is added with the
 * other rules (stack.ts), with the same retry policy and dead-letter queue.
 */
export class Replies extends Construct {
  readonly handler: RedressFunction;

  constructor(scope: Construct, id: string, props: RepliesProps) {
    super(scope, id);
    this.handler = new RedressFunction(this, 'Reply', {
      spec: functions.reply,
      serviceName: 'redress-reply',
      config: props.config,
      logRetentionDays: props.logRetentionDays,
      // The platforms' public API bases are the handler's defaults (api.x.com, graph.facebook.com).
      environment: { TABLE_NAME: props.table.tableName, PLATFORM_SECRETS_ARN: props.platformSecrets.secretArn },
      asyncFailure: { deadLetterQueue: props.deadLetters, ...deliveryPolicy.asyncInvoke },
    });
    props.table.grantReadWriteData(this.handler);
    props.platformSecrets.grantRead(this.handler);
  }
}
