import { describe, expect, it } from 'vitest';
import { defaultConfig } from '#config/defaults';
import { DimensionSet, METRICS_NAMESPACE, MetricEmissions, MetricName, SERVICE_DIMENSION } from '#contracts/metrics';
import { routeKey, routes } from '#infra/topology';
import { arnOf, configWith, functionsOf, logicalIdOf, ref, resourceOf, synthRedress, type Json } from './synth.ts';

// The defaults plus a queue of its own, two addresses and thresholds unlike the defaults', so
// every assertion below reads from the config rather than agreeing with it by chance.
const emails = ['ops@example.com', 'oncall@example.org'];
const { stack, template, config } = synthRedress({
  config: configWith({
    queues: [
      ...defaultConfig.queues,
      { name: 'lounges', description: 'Lounge complaints', pattern: { detail: { classification: { category: ['other_complaint'] } } } },
    ],
    ops: { alarmEmails: emails, oldestOpenTicketAlarm: '6h', webhook5xxPercent: 2.5 },
  }),
});
const queueNames = config.queues.map((queue) => queue.name);
const topicId = logicalIdOf(stack.opsTopic);
const resources = (template.toJSON() as { Resources: Record<string, Json> }).Resources;

const alarms = Object.entries(template.findResources('AWS::CloudWatch::Alarm')).map(([id, alarm]): Json => ({ id, ...alarm.Properties }));
const alarmsOn = (namespace: string, metricName: string) => alarms.filter((alarm) => alarm.Namespace === namespace && alarm.MetricName === metricName);
const dimensionsOf = (alarm: Json): Record<string, unknown> =>
  Object.fromEntries((alarm.Dimensions as { Name: string; Value: unknown }[]).map(({ Name, Value }) => [Name, Value]));
const environmentOf = (logicalId: string): Record<string, string> => resourceOf(template, logicalId).Properties.Environment.Variables;

/** The `service` dimension Powertools will add to what a function emits: its POWERTOOLS_SERVICE_NAME, as deployed. */
const slaMonitorService = environmentOf(logicalIdOf(functionsOf(stack).slaMonitor)).POWERTOOLS_SERVICE_NAME;

/** The services the key policy lets encrypt for the topic (CDK merges statements that differ only in principal). */
function keyUsers(key: Json): string[] {
  return (key.Properties.KeyPolicy.Statement as Json[])
    .filter((statement) => statement.Effect === 'Allow' && JSON.stringify(statement.Action) === JSON.stringify(['kms:Decrypt', 'kms:GenerateDataKey*']))
    .flatMap((statement) => [statement.Principal?.Service ?? []].flat() as string[]);
}

describe('the ops topic', () => {
  it('is encrypted with a rotated key CloudWatch may use, and refuses publishing without TLS', () => {
    const topic = resourceOf(template, topicId);
    const keyId = topic.Properties.KmsMasterKeyId['Fn::GetAtt'][0] as string;
    const key = resourceOf(template, keyId);
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(keyUsers(key)).toContain('cloudwatch.amazonaws.com');
    const policies = Object.values(template.findResources('AWS::SNS::TopicPolicy')).filter((policy) => JSON.stringify(policy.Properties.Topics) === JSON.stringify([ref(topicId)]));
    const statements = policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement as Json[]);
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    // Only this account's alarms may publish to it.
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Condition: expect.objectContaining({ StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') } }),
      }),
    );
  });

  it('emails every address in ops.alarmEmails, and nobody else', () => {
    const subscriptions = Object.values(template.findResources('AWS::SNS::Subscription')).map((subscription) => subscription.Properties as Json);
    expect(subscriptions.map(({ Protocol, TopicArn, Endpoint }) => ({ Protocol, TopicArn, Endpoint }))).toEqual(
      emails.map((email) => ({ Protocol: 'email', TopicArn: ref(topicId), Endpoint: email })),
    );
  });

  it('has no subscription when no address is configured (the defaults)', () => {
    const { template: withDefaults } = synthRedress();
    withDefaults.resourceCountIs('AWS::SNS::Subscription', 0);
    withDefaults.resourceCountIs('AWS::SNS::Topic', 1);
  });

  it('is in the outputs, with the dashboard name', () => {
    const outputs = (template.toJSON() as { Outputs: Record<string, Json> }).Outputs;
    expect(outputs.OpsTopicArn?.Value).toEqual(ref(topicId));
    expect(outputs.DashboardName?.Value).toEqual(ref(logicalIdOf(stack.opsMonitoring.dashboard)));
  });
});

describe('every alarm', () => {
  it('notifies the ops topic when raised and again when cleared', () => {
    const silent = alarms.filter((alarm) => JSON.stringify([alarm.AlarmActions, alarm.OKActions]) !== JSON.stringify([[ref(topicId)], [ref(topicId)]]));
    expect(silent.map((alarm) => alarm.AlarmName)).toEqual([]);
  });

  it('says how it treats missing data, and what to do in its description', () => {
    for (const alarm of alarms) {
      expect(['notBreaching', 'breaching', 'ignore'], alarm.AlarmName).toContain(alarm.TreatMissingData);
      // CloudWatch allows 1024 characters; the references in it resolve to names far shorter than their JSON.
      expect(JSON.stringify(alarm.AlarmDescription).length, alarm.AlarmName).toBeGreaterThan(150);
      expect(JSON.stringify(alarm.AlarmDescription).length, alarm.AlarmName).toBeLessThan(1024);
    }
  });
});

describe('the SLA alarms', () => {
  it('raise one breach alarm per configured queue, on SlaBreaches as the SLA monitor emits it, at one breach a minute', () => {
    const breaches = alarmsOn(METRICS_NAMESPACE, MetricName.slaBreaches);
    expect(breaches.map((alarm) => dimensionsOf(alarm).queue).sort()).toEqual([...queueNames].sort());
    for (const alarm of breaches) {
      expect(dimensionsOf(alarm)).toEqual({ [SERVICE_DIMENSION]: slaMonitorService, queue: dimensionsOf(alarm).queue });
      expect(alarm).toMatchObject({ Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
      expect(alarm.TreatMissingData).toBe('notBreaching');
    }
  });

  it('read a dimension set the contract says is emitted, by the function whose service name it is', () => {
    expect(MetricEmissions[MetricName.slaBreaches].dimensionSets).toContain(DimensionSet.queue);
    expect(MetricEmissions[MetricName.oldestOpenTicketAge].dimensionSets).toContain(DimensionSet.queue);
    expect(MetricEmissions[MetricName.slaBreaches].service).toBe(slaMonitorService);
    expect(MetricEmissions[MetricName.firstResponseTime].service).toBe(environmentOf(logicalIdOf(functionsOf(stack).supportApi)).POWERTOOLS_SERVICE_NAME);
    expect(MetricEmissions[MetricName.postsAccepted].service).toBe(environmentOf(logicalIdOf(functionsOf(stack).webhook)).POWERTOOLS_SERVICE_NAME);
  });

  it('raise one oldest-open-ticket alarm per queue at ops.oldestOpenTicketAlarm seconds', () => {
    const oldest = alarmsOn(METRICS_NAMESPACE, MetricName.oldestOpenTicketAge);
    expect(oldest.map((alarm) => dimensionsOf(alarm).queue).sort()).toEqual([...queueNames].sort());
    for (const alarm of oldest) {
      expect(dimensionsOf(alarm)).toEqual({ [SERVICE_DIMENSION]: slaMonitorService, queue: dimensionsOf(alarm).queue });
      expect(alarm).toMatchObject({ Statistic: 'Maximum', Period: 300, Threshold: 6 * 3600, ComparisonOperator: 'GreaterThanThreshold' });
    }
  });

  it('also alarm when the SLA monitor stops running, since then no SLA alarm can fire', () => {
    const [silent, ...others] = alarmsOn('AWS/Lambda', 'Invocations');
    expect(others).toEqual([]);
    expect(dimensionsOf(silent ?? {})).toEqual({ FunctionName: ref(logicalIdOf(functionsOf(stack).slaMonitor)) });
    expect(silent).toMatchObject({ Statistic: 'Sum', Period: 300, Threshold: 1, ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching' });
  });
});

describe('the delivery alarms', () => {
  /** Every queue something dead-letters into: a function's (dead-letter queue or on-failure destination), a bus rule target's, or another queue's redrive policy. */
  const deadLetterQueueIds = new Set(
    Object.values(resources).flatMap((resource): string[] => {
      const properties = (resource.Properties ?? {}) as Json;
      if (resource.Type === 'AWS::Lambda::Function') return properties.DeadLetterConfig ? [properties.DeadLetterConfig.TargetArn['Fn::GetAtt'][0]] : [];
      if (resource.Type === 'AWS::Lambda::EventInvokeConfig') {
        const destination = properties.DestinationConfig?.OnFailure?.Destination;
        return destination ? [destination['Fn::GetAtt'][0]] : [];
      }
      if (resource.Type === 'AWS::Events::Rule') return ((properties.Targets ?? []) as Json[]).flatMap((target) => (target.DeadLetterConfig ? [target.DeadLetterConfig.Arn['Fn::GetAtt'][0]] : []));
      if (resource.Type === 'AWS::SQS::Queue') return properties.RedrivePolicy ? [properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0]] : [];
      return [];
    }),
  );

  it('raise one alarm per dead-letter queue as soon as a message waits in it', () => {
    expect(deadLetterQueueIds.size).toBeGreaterThan(0);
    const depth = alarmsOn('AWS/SQS', 'ApproximateNumberOfMessagesVisible');
    expect(depth.map((alarm) => (dimensionsOf(alarm).QueueName as Json)['Fn::GetAtt'][0]).sort()).toEqual([...deadLetterQueueIds].sort());
    for (const alarm of depth) {
      expect(alarm).toMatchObject({ Statistic: 'Maximum', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'ignore' });
      expect(JSON.stringify(alarm.AlarmDescription)).toContain('npx redress redrive --queue-url');
    }
  });

  const functionIds = Object.keys(template.findResources('AWS::Lambda::Function'));

  it.each(['Errors', 'Throttles'])('raise a %s alarm for every function in the template, at one in 5 minutes', (metricName) => {
    const perFunction = alarmsOn('AWS/Lambda', metricName);
    expect(perFunction.map((alarm) => (dimensionsOf(alarm).FunctionName as Json).Ref).sort()).toEqual([...functionIds].sort());
    for (const alarm of perFunction) {
      expect(alarm).toMatchObject({ Statistic: 'Sum', Period: 300, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching' });
    }
  });
});

describe('the webhook 5xx alarm', () => {
  const webhookRoutes = routes.filter((route) => route.function === 'webhook');
  const [alarm, ...others] = alarms.filter((candidate) => candidate.Metrics !== undefined);
  const queries = (alarm?.Metrics ?? []) as Json[];
  const stageId = logicalIdOf(stack.node.findChild('HttpApi').node.findChild('DefaultStage'));

  it('is the only math alarm: 5xx over requests of the webhook routes, in percent, above ops.webhook5xxPercent over 5 minutes', () => {
    expect(others).toEqual([]);
    const expression = queries.find((query) => query.Expression !== undefined);
    expect(expression).toMatchObject({ Expression: '100 * SUM([errors0]) / SUM([requests0])', ReturnData: true });
    expect(alarm).toMatchObject({ Threshold: 2.5, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1, TreatMissingData: 'notBreaching' });
  });

  it('reads the per-route API Gateway metrics of each webhook route, not the whole API', () => {
    expect(webhookRoutes.length).toBeGreaterThan(0);
    const apiId = ref(logicalIdOf(stack.ingestApi.routes[0]!.httpApi));
    webhookRoutes.forEach((route, index) => {
      for (const [id, metricName] of [
        [`errors${index}`, '5xx'],
        [`requests${index}`, 'Count'],
      ]) {
        const query = queries.find((candidate) => candidate.Id === id);
        expect(query?.MetricStat).toMatchObject({ Stat: 'Sum', Period: 300, Metric: { Namespace: 'AWS/ApiGateway', MetricName: metricName } });
        expect(dimensionsOf(query?.MetricStat.Metric ?? {})).toEqual({ ApiId: apiId, Stage: '$default', Method: route.method, Resource: route.path });
      }
    });
    expect(JSON.stringify(alarm?.AlarmDescription)).toContain(webhookRoutes.map(routeKey).join(', '));
  });

  it('has those per-route metrics turned on, on the webhook routes only, after the routes exist', () => {
    const stage = resourceOf(template, stageId);
    expect(Object.keys(stage.Properties.RouteSettings)).toEqual(webhookRoutes.map(routeKey));
    for (const settings of Object.values(stage.Properties.RouteSettings as Record<string, Json>)) {
      expect(settings).toMatchObject({ DetailedMetricsEnabled: true, ThrottlingRateLimit: stage.Properties.DefaultRouteSettings.ThrottlingRateLimit });
    }
    expect(stage.Properties.DefaultRouteSettings.DetailedMetricsEnabled).toBeUndefined();
    for (const route of stack.ingestApi.routes) expect(stage.DependsOn).toContain(logicalIdOf(route));
  });
});

describe('the dashboard', () => {
  const dashboards = Object.entries(template.findResources('AWS::CloudWatch::Dashboard'));
  const body = dashboards[0]?.[1].Properties.DashboardBody as Json;
  /** The body as CloudWatch reads it, with each deploy-time reference (function and queue names, the API id) left empty. */
  const widgets = (JSON.parse(((body['Fn::Join'][1] ?? []) as unknown[]).map((part) => (typeof part === 'string' ? part : '')).join('')) as Json).widgets as Json[];
  /** Every metric line of every graph: namespace, name and dimensions (the entries after the name, in pairs). */
  const lines = widgets
    .flatMap((widget) => (widget.properties.metrics ?? []) as unknown[][])
    .filter((line) => typeof line[0] === 'string')
    .map(([namespace, metricName, ...rest]) => {
      const pairs = rest.filter((entry): entry is string => typeof entry === 'string');
      const dimensions = Object.fromEntries(pairs.flatMap((entry, index) => (index % 2 === 0 ? [[entry, pairs[index + 1]]] : [])));
      return { namespace, metricName, dimensions };
    });

  it('is one, named after the stack and its Region (dashboard names are per account, not per Region)', () => {
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0]?.[1].Properties.DashboardName).toEqual({ 'Fn::Join': ['', [`${stack.stackName}-`, ref('AWS::Region')]] });
  });

  it.each(queueNames)('shows the %s queue: SLA warnings and breaches, open and oldest tickets, response and resolution times', (queue) => {
    for (const metricName of [MetricName.slaWarnings, MetricName.slaBreaches, MetricName.openTickets, MetricName.oldestOpenTicketAge, MetricName.firstResponseTime, MetricName.resolutionTime]) {
      expect(lines, metricName).toContainEqual({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensions: { [SERVICE_DIMENSION]: MetricEmissions[metricName].service, queue },
      });
    }
  });

  it('shows posts accepted per platform, issues per category, dead letters, functions and the API', () => {
    const names = new Set(lines.map((line) => `${line.namespace} ${line.metricName}`));
    for (const name of [
      `${METRICS_NAMESPACE} ${MetricName.postsAccepted}`,
      `${METRICS_NAMESPACE} ${MetricName.issuesDetected}`,
      'AWS/SQS ApproximateNumberOfMessagesVisible',
      'AWS/Lambda Errors',
      'AWS/Lambda Throttles',
      'AWS/Lambda Duration',
      'AWS/ApiGateway 4xx',
      'AWS/ApiGateway 5xx',
      'AWS/ApiGateway Latency',
    ]) {
      expect(names).toContain(name);
    }
    for (const metricName of [MetricName.postsAccepted, MetricName.issuesDetected]) {
      for (const line of lines.filter((candidate) => candidate.metricName === metricName)) {
        const dimensionNames = Object.keys(line.dimensions).filter((name) => name !== SERVICE_DIMENSION);
        expect(MetricEmissions[metricName].dimensionSets.map((set) => [...set].sort().join())).toContain(dimensionNames.sort().join());
      }
    }
  });

  it('shows the state of every alarm', () => {
    const listed = (widgets.find((widget) => widget.type === 'alarm')?.properties.alarms ?? []) as unknown[];
    expect(listed).toHaveLength(alarms.length);
    for (const { id } of alarms) expect(JSON.stringify(body)).toContain(JSON.stringify(arnOf(id)));
  });
});

describe('the subscriber rules (config subscribers)', () => {
  const withSubscribers = synthRedress({
    config: configWith({
      subscribers: [
        ...(defaultConfig.subscribers ?? []),
        { name: 'all-breaches', description: 'Every SLA breach', pattern: { source: ['redress.tickets'], 'detail-type': ['Ticket.SlaBreached'] }, target: 'ops' },
      ],
    }),
  });
  const rules = Object.values(withSubscribers.template.findResources('AWS::Events::Rule')).filter((rule) =>
    (rule.Properties.Targets as Json[]).some((target) => JSON.stringify(target.Arn).includes(logicalIdOf(withSubscribers.stack.opsTopic))),
  );

  it('puts one rule per subscriber on the bus, with its own pattern, to the ops topic with the retry policy and the dead-letter queue', () => {
    expect(rules.map((rule) => rule.Properties.EventPattern)).toEqual([
      { source: ['redress.ingest'], 'detail-type': ['Post.Classified'], detail: { classification: { priority: ['P1'] } } },
      { source: ['redress.tickets'], 'detail-type': ['Ticket.SlaBreached'] },
    ]);
    for (const rule of rules) {
      expect(rule.Properties.EventBusName).toEqual(ref(logicalIdOf(withSubscribers.stack.eventBus.bus)));
      const [target] = rule.Properties.Targets as Json[];
      expect(target).toMatchObject({
        Arn: ref(logicalIdOf(withSubscribers.stack.opsTopic)),
        DeadLetterConfig: { Arn: arnOf(logicalIdOf(withSubscribers.stack.eventBus.deadLetters)) },
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
      });
    }
  });

  it('lets EventBridge publish to the topic and use its key, from this account only', () => {
    const topic = resourceOf(withSubscribers.template, logicalIdOf(withSubscribers.stack.opsTopic));
    const key = resourceOf(withSubscribers.template, topic.Properties.KmsMasterKeyId['Fn::GetAtt'][0] as string);
    expect(keyUsers(key)).toContain('events.amazonaws.com');
    const policies = Object.values(withSubscribers.template.findResources('AWS::SNS::TopicPolicy'));
    const statements = policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement as Json[]);
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish' }));
  });
});
