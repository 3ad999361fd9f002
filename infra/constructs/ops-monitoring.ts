import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
  type IMetric,
  type IWidget,
  type MetricOptions,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
import { Category } from '#contracts/classification';
import type { RedressConfig } from '#contracts/config';
import { METRICS_NAMESPACE, MetricEmissions, MetricName, SERVICE_DIMENSION } from '#contracts/metrics';
import { platformNames } from '#platforms/registry';
import { routeKey, type RouteSpec } from '../topology.ts';

export interface OpsMonitoringProps {
  /** Who is told (`alarmEmails`) and when (`oldestOpenTicketAlarm`, `webhook5xxPercent`). */
  ops: RedressConfig['ops'];
  /** Every configured queue gets its SLA and oldest-ticket alarms and its row on the dashboard. */
  queues: string[];
  /** Every function of the stack: errors and throttles alarms, and its lines on the dashboard. */
  functions: IFunction[];
  /** Every dead-letter queue of the stack: an alarm as soon as anything waits in one. */
  deadLetterQueues: IQueue[];
  /** The SLA monitor: if it stops running, no SLA alarm can fire, so its silence is an alarm too. */
  slaMonitor: IFunction;
  /** The API's stage, and the webhook routes (detailed metrics enabled on them) the 5xx alarm reads. */
  api: { stage: HttpStage; webhookRoutes: RouteSpec[] };
}

/**
 * What ops watches: the alarms, each notifying the `ops` SNS topic (and again when it clears),
 * and one dashboard. All of it is generated from the config and the stack's own functions and
 * queues, so a new queue, function or address is watched without touching this file. The
 * redress metrics are named by shared/contracts/metrics.ts, which the emitters follow.
 */
export class OpsMonitoring extends Construct {
  readonly topic: Topic;
  readonly dashboard: Dashboard;
  readonly alarms: Alarm[] = [];
  private readonly stackName: string;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: OpsMonitoringProps) {
    super(scope, id);
    this.stackName = Stack.of(this).stackName;
    this.topic = this.createTopic(props.ops.alarmEmails);
    this.action = new SnsAction(this.topic);

    for (const queue of props.queues) this.queueAlarms(queue, props.ops.oldestOpenTicketAlarm);
    this.slaMonitorAlarm(props.slaMonitor);
    for (const queue of props.deadLetterQueues) this.deadLetterAlarm(queue);
    for (const fn of props.functions) this.functionAlarms(fn);
    const webhook5xxRate = this.webhook5xxAlarm(props.api, props.ops.webhook5xxPercent);

    // Dashboard names are unique in the account across Regions, hence the Region in it.
    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `${this.stackName}-${Aws.REGION}`, defaultInterval: Duration.hours(12) });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# redress\nEvery alarm notifies the ops SNS topic (output OpsTopicArn); its description says what to do. Dead letters: README "Recovery".`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 6 }));
    for (const queue of props.queues) this.dashboard.addWidgets(...queueWidgets(queue, props.ops.oldestOpenTicketAlarm));
    this.dashboard.addWidgets(...intakeWidgets());
    this.dashboard.addWidgets(...deliveryWidgets(props.functions, props.deadLetterQueues));
    this.dashboard.addWidgets(...apiWidgets(props.api.stage, webhook5xxRate, props.ops.webhook5xxPercent));
  }

  /**
   * The `ops` topic, encrypted with a key of its own: CloudWatch cannot use the AWS-managed SNS
   * key, so the key policy lets CloudWatch encrypt what it publishes, and the topic policy lets
   * this account's alarms publish (it replaces SNS's default policy, which enforceSSL adds to).
   */
  private createTopic(emails: string[]): Topic {
    const key = new Key(this, 'TopicKey', {
      description: `${this.stackName} ops alarm notifications`,
      enableKeyRotation: true,
      // It protects notifications in flight only; nothing stored needs it once the topic is gone.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    // EventBridge, publishing the subscribers' events (config `subscribers`), gets the same use of
    // the key from the SnsTopic rule target (infra/constructs/event-bus.ts addSubscriberRules).
    const topic = new Topic(this, 'Topic', { topicName: `${this.stackName}-ops`, displayName: `${this.stackName} ops`, masterKey: key, enforceSSL: true });
    topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*` },
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        },
      }),
    );
    // Each address gets a confirmation email from AWS; nothing is delivered until it is confirmed.
    for (const email of emails) topic.addSubscription(new EmailSubscription(email));
    return topic;
  }

  private queueAlarms(queue: string, oldestOpenTicketSeconds: number): void {
    this.alarm(`SlaBreach-${queue}`, {
      name: `sla-breach-${queue}`,
      metric: redressMetric(MetricName.slaBreaches, { queue }, { statistic: 'Sum', period: Duration.minutes(1) }),
      comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      threshold: 1,
      // Counted when a breach happens: no data is no breach.
      missingData: TreatMissingData.NOT_BREACHING,
      description:
        `Tickets in the ${queue} queue passed an SLA target (first response, next response or resolution) in the last minute. ` +
        `Work the queue oldest-due first (GET /api/queues/${queue}/tickets): answer or reassign the breached tickets (each has a Ticket.SlaBreached event on the bus). ` +
        `If it keeps breaching, add agents to the ${queue} group of the user pool. The alarm clears by itself a minute after the last breach.`,
    });
    this.alarm(`OldestOpenTicket-${queue}`, {
      name: `oldest-open-ticket-${queue}`,
      metric: redressMetric(MetricName.oldestOpenTicketAge, { queue }, { statistic: 'Maximum', period: Duration.minutes(5) }),
      comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
      threshold: oldestOpenTicketSeconds,
      // A gauge the SLA monitor reports every minute for every queue (0 when none is open); while it
      // is silent the alarm keeps its state, and the sla-monitor-not-running alarm says why.
      missingData: TreatMissingData.IGNORE,
      description:
        `The oldest open ticket in the ${queue} queue is older than ${describeSeconds(oldestOpenTicketSeconds)} (config ops.oldestOpenTicketAlarm). ` +
        `A ticket is being forgotten: list the queue (GET /api/queues/${queue}/tickets, oldest due first), then answer it, resolve it, or set it pending if the customer owes a reply. ` +
        'The alarm clears once every open ticket of the queue is younger than that.',
    });
  }

  private slaMonitorAlarm(slaMonitor: IFunction): void {
    this.alarm('SlaMonitorNotRunning', {
      name: 'sla-monitor-not-running',
      metric: slaMonitor.metricInvocations({ statistic: 'Sum', period: Duration.minutes(5) }),
      comparison: ComparisonOperator.LESS_THAN_THRESHOLD,
      threshold: 1,
      // Lambda reports no invocations as no data: silence is exactly what this alarm is for.
      missingData: TreatMissingData.BREACHING,
      description:
        'The SLA monitor, scheduled every minute, did not run for 5 minutes: no SLA warnings, breaches or queue metrics are produced, so the SLA and oldest-ticket alarms cannot fire. ' +
        "Check that the monitor's schedule rule is enabled and the function is not throttled (its throttles alarm); a run that fails still counts as run (see its errors alarm).",
    });
  }

  private deadLetterAlarm(queue: IQueue): void {
    this.alarm(`DeadLetters-${idOf(queue)}`, {
      name: `dead-letters-${idOf(queue)}`,
      metric: queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: Duration.minutes(5) }),
      comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
      threshold: 0,
      // SQS reports a queue while it holds messages; without data the alarm keeps its state, so it
      // stays raised until the queue is seen empty.
      missingData: TreatMissingData.IGNORE,
      description:
        `Deliveries that ran out of retries wait in the SQS queue ${queue.queueName} (output DeadLetterQueueUrl): posts not turned into tickets, replies not sent. ` +
        "Each message names the rule or function that failed and why (a rule's: the event, with RULE_ARN, TARGET_ARN, ERROR_CODE; a function's: Lambda's failure record). " +
        "Fix the cause first (the failing function's errors alarm and logs), then send each event back to what failed it: " +
        'npx redress redrive --queue-url <DeadLetterQueueUrl> (--dry-run first; a message is deleted only once its event was taken; targets are idempotent). ' +
        'See README "Recovery". The alarm clears when the queue is empty.',
    });
  }

  private functionAlarms(fn: IFunction): void {
    const label = labelOf(fn);
    this.alarm(`Errors-${idOf(fn)}`, {
      name: `errors-${idOf(fn)}`,
      metric: fn.metricErrors({ statistic: 'Sum', period: Duration.minutes(5) }),
      comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      threshold: 1,
      // No invocations, no errors.
      missingData: TreatMissingData.NOT_BREACHING,
      description:
        `The ${label} function (${fn.functionName}) failed at least once in 5 minutes. Find the error in its log group (JSON lines, level ERROR) or its X-Ray traces. ` +
        'Events from the bus are retried and then dead-lettered (the dead-letters alarm); API callers were answered 5xx and platforms retry. ' +
        'A deploy that broke the function is rolled back with the previous version of the stack.',
    });
    this.alarm(`Throttles-${idOf(fn)}`, {
      name: `throttles-${idOf(fn)}`,
      metric: fn.metricThrottles({ statistic: 'Sum', period: Duration.minutes(5) }),
      comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      threshold: 1,
      missingData: TreatMissingData.NOT_BREACHING,
      description:
        `The ${label} function (${fn.functionName}) was throttled at least once in 5 minutes: Lambda refused to run it because concurrency ran out. ` +
        'Asynchronous invocations are retried (then dead-lettered); API requests were refused with 429 or 5xx. ' +
        "Check the account's ConcurrentExecutions; if the traffic is real, raise the Region's Lambda concurrency quota (Service Quotas).",
    });
  }

  /**
   * The share of webhook requests answered 5xx, from the per-route metrics of the webhook routes
   * (the support API's errors are not counted). API Gateway names a route's metrics by the
   * route's method and path (dimensions Method and Resource), `ANY` included.
   */
  private webhook5xxAlarm(api: OpsMonitoringProps['api'], percent: number): MathExpression {
    const { stage, webhookRoutes } = api;
    const routeMetric = (route: RouteSpec, metricName: string) =>
      new Metric({
        namespace: 'AWS/ApiGateway',
        metricName,
        dimensionsMap: { ApiId: stage.api.apiId, Stage: stage.stageName, Method: route.method, Resource: route.path },
        statistic: 'Sum',
        period: Duration.minutes(5),
      });
    const usingMetrics: Record<string, IMetric> = {};
    webhookRoutes.forEach((route, index) => {
      usingMetrics[`errors${index}`] = routeMetric(route, '5xx');
      usingMetrics[`requests${index}`] = routeMetric(route, 'Count');
    });
    const sum = (prefix: string) => `SUM([${webhookRoutes.map((_, index) => `${prefix}${index}`).join(', ')}])`;
    const rate = new MathExpression({
      expression: `100 * ${sum('errors')} / ${sum('requests')}`,
      usingMetrics,
      period: Duration.minutes(5),
      label: 'Webhook 5xx (%)',
    });
    const routeKeys = webhookRoutes.map(routeKey).join(', ');
    this.alarm('Webhook5xxRate', {
      name: 'webhook-5xx-rate',
      metric: rate,
      comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
      threshold: percent,
      // No requests, no rate.
      missingData: TreatMissingData.NOT_BREACHING,
      description:
        `More than ${percent}% of webhook requests (route ${routeKeys} only, not the support API) were answered 5xx over 5 minutes (config ops.webhook5xxPercent). ` +
        'Platforms retry for a while, then give up and may disable the subscription. ' +
        "Look at the webhook function's errors alarm and logs, and the API's access logs (integrationError); a failing EventBridge, DynamoDB or Secrets Manager call shows in its X-Ray traces.",
    });
    return rate;
  }

  private alarm(
    id: string,
    spec: { name: string; metric: IMetric; comparison: ComparisonOperator; threshold: number; missingData: TreatMissingData; description: string },
  ): Alarm {
    const alarm = new Alarm(this, id, {
      alarmName: `${this.stackName}-${spec.name}`,
      alarmDescription: spec.description,
      metric: spec.metric,
      comparisonOperator: spec.comparison,
      threshold: spec.threshold,
      evaluationPeriods: 1,
      treatMissingData: spec.missingData,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }
}

/**
 * A redress metric as its emitter publishes it (shared/contracts/metrics.ts): the emitting
 * function's `service` plus one of the dimension sets it is emitted with, or the synth fails.
 */
function redressMetric(name: MetricName, dimensions: Record<string, string>, options: MetricOptions): Metric {
  const { service, dimensionSets } = MetricEmissions[name];
  const names = Object.keys(dimensions).sort();
  if (!dimensionSets.some((set) => [...set].sort().join() === names.join())) {
    throw new Error(`${name} is not emitted with the dimensions ${names.join(', ')}; see shared/contracts/metrics.ts`);
  }
  return new Metric({ namespace: METRICS_NAMESPACE, metricName: name, dimensionsMap: { [SERVICE_DIMENSION]: service, ...dimensions }, ...options });
}

function queueWidgets(queue: string, oldestOpenTicketSeconds: number): IWidget[] {
  const perQueue = (name: MetricName, options: MetricOptions) => redressMetric(name, { queue }, options);
  const percentiles = (name: MetricName) =>
    ['p50', 'p90'].map((statistic) => perQueue(name, { statistic, period: Duration.minutes(15), label: statistic }));
  return [
    new GraphWidget({
      title: `${queue}: SLA warnings and breaches`,
      left: [
        perQueue(MetricName.slaWarnings, { statistic: 'Sum', period: Duration.minutes(5), label: 'warnings' }),
        perQueue(MetricName.slaBreaches, { statistic: 'Sum', period: Duration.minutes(5), label: 'breaches' }),
      ],
      width: 6,
    }),
    new GraphWidget({
      title: `${queue}: open tickets and oldest open ticket (s)`,
      left: [perQueue(MetricName.openTickets, { statistic: 'Maximum', period: Duration.minutes(5), label: 'open' })],
      right: [perQueue(MetricName.oldestOpenTicketAge, { statistic: 'Maximum', period: Duration.minutes(5), label: 'oldest (s)' })],
      rightAnnotations: [{ value: oldestOpenTicketSeconds, label: 'alarm' }],
      width: 6,
    }),
    new GraphWidget({ title: `${queue}: first response time (s)`, left: percentiles(MetricName.firstResponseTime), width: 6 }),
    new GraphWidget({ title: `${queue}: resolution time (s)`, left: percentiles(MetricName.resolutionTime), width: 6 }),
  ];
}

function intakeWidgets(): IWidget[] {
  const issueCategories = Category.options.filter((category) => category !== 'not_issue');
  return [
    new GraphWidget({
      title: 'Posts accepted per platform',
      left: platformNames.map((platform) => redressMetric(MetricName.postsAccepted, { platform }, { statistic: 'Sum', period: Duration.minutes(5), label: platform })),
      width: 12,
    }),
    new GraphWidget({
      title: 'Issues detected per category',
      left: issueCategories.map((category) =>
        redressMetric(MetricName.issuesDetected, { category }, { statistic: 'Sum', period: Duration.minutes(5), label: category }),
      ),
      width: 12,
    }),
  ];
}

function deliveryWidgets(functions: IFunction[], deadLetterQueues: IQueue[]): IWidget[] {
  const perFunction = (metric: (fn: IFunction) => Metric) => functions.map(metric);
  const fiveMinutes = (fn: IFunction, statistic: string) => ({ statistic, period: Duration.minutes(5), label: labelOf(fn) });
  return [
    new GraphWidget({
      title: 'Dead letters waiting',
      left: deadLetterQueues.map((queue) =>
        queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: Duration.minutes(5), label: labelOf(queue) }),
      ),
      width: 6,
    }),
    new GraphWidget({ title: 'Function errors', left: perFunction((fn) => fn.metricErrors(fiveMinutes(fn, 'Sum'))), width: 6 }),
    new GraphWidget({ title: 'Function throttles', left: perFunction((fn) => fn.metricThrottles(fiveMinutes(fn, 'Sum'))), width: 6 }),
    new GraphWidget({ title: 'Function duration p90 (ms)', left: perFunction((fn) => fn.metricDuration(fiveMinutes(fn, 'p90'))), width: 6 }),
  ];
}

function apiWidgets(stage: HttpStage, webhook5xxRate: MathExpression, percent: number): IWidget[] {
  const fiveMinutes = (statistic: string, label: string) => ({ statistic, period: Duration.minutes(5), label });
  return [
    new GraphWidget({
      title: 'API 4xx and 5xx (whole API)',
      left: [stage.metricClientError(fiveMinutes('Sum', '4xx')), stage.metricServerError(fiveMinutes('Sum', '5xx'))],
      width: 8,
    }),
    new GraphWidget({
      title: 'API latency (ms, whole API)',
      left: [stage.metricLatency(fiveMinutes('p50', 'p50')), stage.metricLatency(fiveMinutes('p90', 'p90'))],
      width: 8,
    }),
    new GraphWidget({ title: 'Webhook 5xx (%)', left: [webhook5xxRate], leftAnnotations: [{ value: percent, label: 'alarm' }], width: 8 }),
  ];
}

/** Where a construct sits in the stack, e.g. `IngestApi/Webhook`: how alarms and lines name it. */
function labelOf(construct: IConstruct): string {
  return construct.node.path.slice(Stack.of(construct).node.path.length + 1);
}

/** The label as a construct id and alarm-name part, e.g. `IngestApi-Webhook`. */
const idOf = (construct: IConstruct) => labelOf(construct).replaceAll('/', '-');

function describeSeconds(seconds: number): string {
  const units: [number, string][] = [
    [86_400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  const [size, unit] = units.find(([candidate]) => seconds % candidate === 0) ?? [1, 'second'];
  const count = seconds / size;
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}
