import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { LoadedConfig } from '#config/load-config';
import { RedressEventBus } from './constructs/event-bus.ts';
import { RedressHttpApi } from './constructs/http-api.ts';
import { IngestApi } from './constructs/ingest-api.ts';
import { OpsMonitoring } from './constructs/ops-monitoring.ts';
import { RedressFunction } from './constructs/redress-function.ts';
import { Replies } from './constructs/replies.ts';
import { SlaMonitor } from './constructs/sla-monitor.ts';
import { SupportApi } from './constructs/support-api.ts';
import { TicketQueues } from './constructs/ticket-queues.ts';
import { busRules, followUpRules, replyRules, routeKey, routes, subscriberRules } from './topology.ts';

export interface RedressStackProps extends StackProps {
  config: LoadedConfig;
}

/** Composes the capabilities; every resource lives in the construct of its capability. */
export class RedressStack extends Stack {
  readonly eventBus: RedressEventBus;
  readonly ticketQueues: TicketQueues;
  readonly ingestApi: IngestApi;
  readonly supportApi: SupportApi;
  readonly slaMonitor: SlaMonitor;
  readonly replies: Replies;
  readonly opsMonitoring: OpsMonitoring;
  /** The SNS topic every alarm notifies, with a subscription per address in config `ops.alarmEmails`. */
  readonly opsTopic: Topic;

  constructor(scope: Construct, id: string, props: RedressStackProps) {
    super(scope, id, props);
    const { config } = props.config;
    const logRetentionDays = config.deployment.logRetentionDays;

    this.eventBus = new RedressEventBus(this, 'EventBus', { busName: config.busName, archiveRetentionDays: config.retentionDays });
    const { bus, deadLetters } = this.eventBus;

    this.ticketQueues = new TicketQueues(this, 'TicketQueues', {
      bus,
      deadLetters,
      config,
      deletionProtection: config.deployment.deletionProtection,
      logRetentionDays,
    });
    this.eventBus.addRules([...busRules(config), ...followUpRules], this.ticketQueues.enqueue);

    const httpApi = new RedressHttpApi(this, 'HttpApi', { logRetentionDays });
    const { api } = httpApi;
    this.ingestApi = new IngestApi(this, 'IngestApi', { api, bus, table: this.ticketQueues.table, config, logRetentionDays });
    this.supportApi = new SupportApi(this, 'SupportApi', {
      api,
      table: this.ticketQueues.table,
      bus,
      queues: config.queues.map((queue) => queue.name),
      config,
      logRetentionDays,
    });
    this.replies = new Replies(this, 'Replies', {
      table: this.ticketQueues.table,
      platformSecrets: this.ingestApi.platformSecrets,
      deadLetters,
      config,
      logRetentionDays,
    });
    this.eventBus.addRules(replyRules, this.replies.handler);
    this.slaMonitor = new SlaMonitor(this, 'SlaMonitor', { table: this.ticketQueues.table, bus, deadLetters, config, logRetentionDays });

    // Last, so that it watches every function built above.
    const webhookRoutes = routes.filter((route) => route.function === 'webhook');
    httpApi.enableDetailedMetrics(webhookRoutes.map(routeKey));
    this.opsMonitoring = new OpsMonitoring(this, 'OpsMonitoring', {
      ops: config.ops,
      queues: config.queues.map((queue) => queue.name),
      functions: this.node.findAll().filter((construct) => construct instanceof RedressFunction),
      deadLetterQueues: [deadLetters],
      slaMonitor: this.slaMonitor.handler,
      api: { stage: httpApi.stage, webhookRoutes },
    });
    this.opsTopic = this.opsMonitoring.topic;
    this.eventBus.addSubscriberRules(subscriberRules(config), this.opsTopic);

    new CfnOutput(this, 'ApiUrl', { value: api.apiEndpoint, description: 'Base URL of the webhooks and the support API' });
    new CfnOutput(this, 'UserPoolId', { value: this.supportApi.userPool.userPoolId, description: 'Cognito user pool of the agents' });
    new CfnOutput(this, 'UserPoolClientId', { value: this.supportApi.client.userPoolClientId, description: 'App client the agents sign in with' });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: deadLetters.queueUrl, description: 'Deliveries that ran out of retries' });
    new CfnOutput(this, 'OpsTopicArn', { value: this.opsTopic.topicArn, description: 'SNS topic every alarm notifies' });
    new CfnOutput(this, 'DashboardName', { value: this.opsMonitoring.dashboard.dashboardName, description: 'CloudWatch dashboard for ops' });
  }
}
