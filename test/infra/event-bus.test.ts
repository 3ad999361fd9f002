import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { busRules, deliveryPolicy, followUpRules, replyRules, schedules, subscriberRules } from '#infra/topology';
import { arnOf, configWith, logicalIdOf, ref, resourceOf, synthRedress, type Json } from './synth.ts';

const { stack, template, config } = synthRedress();
const busId = logicalIdOf(stack.eventBus.bus);
const deadLettersId = logicalIdOf(stack.eventBus.deadLetters);
const enqueueId = logicalIdOf(stack.ticketQueues.enqueue);

const byRule = (a: Json, b: Json) => JSON.stringify(a).localeCompare(JSON.stringify(b));
const rulesOnTheBus = (of = template, bus = busId): Json[] =>
  Object.values(of.findResources('AWS::Events::Rule', { Properties: { EventBusName: ref(bus) } }));
/** The routing rules: those on the queue the webhook stamped. */
const queueRules = (of = template, bus = busId): Json[] => rulesOnTheBus(of, bus).filter((rule) => rule.Properties.EventPattern.detail?.queue);
const replyId = logicalIdOf(stack.replies.handler);

describe('the redress event bus', () => {
  it('is named from the config and archives every event for replay, for the configured retention', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: config.busName });
    template.resourceCountIs('AWS::Events::Archive', 1);
    template.hasResourceProperties('AWS::Events::Archive', {
      SourceArn: arnOf(busId),
      EventPattern: { account: [ref('AWS::AccountId')] },
      RetentionDays: config.retentionDays,
    });
  });

  it('has one rule per configured queue, each with the pattern the routing config declares', () => {
    // busRules(config) is also what the local bus evaluates, so equal patterns mean cloud and local route alike.
    const expected = busRules(config);
    expect(expected).toHaveLength(config.queues.length);
    expect(queueRules().map((rule) => rule.Properties.EventPattern)).toEqual(expected.map((rule) => rule.eventPattern));
    expect(rulesOnTheBus()).toHaveLength(expected.length + followUpRules.length + replyRules.length + subscriberRules(config).length);
  });

  it("sends posts that are no issue to the enqueue function, for their author's open ticket, with the rule retry policy and the dead-letter queue", () => {
    const followUps = rulesOnTheBus().filter((rule) => rule.Properties.EventPattern.detail?.classification?.isIssue);
    expect(followUps.map((rule) => rule.Properties.EventPattern)).toEqual([
      { source: ['redress.ingest'], 'detail-type': ['Post.Classified'], detail: { classification: { isIssue: [false] } } },
    ]);
    expect(followUps[0]?.Properties.Targets).toEqual([
      {
        Id: expect.any(String),
        Arn: arnOf(enqueueId),
        RetryPolicy: { MaximumRetryAttempts: deliveryPolicy.rule.maximumRetryAttempts, MaximumEventAgeInSeconds: deliveryPolicy.rule.maximumEventAgeSeconds },
        DeadLetterConfig: { Arn: arnOf(deadLettersId) },
      },
    ]);
  });

  it("sends agents' replies (Ticket.Responded) to the reply function, with the rule retry policy and the dead-letter queue", () => {
    const replies = rulesOnTheBus().filter((rule) => rule.Properties.EventPattern['detail-type']?.includes('Ticket.Responded'));
    expect(replies.map((rule) => rule.Properties.EventPattern)).toEqual([{ source: ['redress.tickets'], 'detail-type': ['Ticket.Responded'] }]);
    expect(replies[0]?.Properties.Targets).toEqual([
      {
        Id: expect.any(String),
        Arn: arnOf(replyId),
        RetryPolicy: { MaximumRetryAttempts: deliveryPolicy.rule.maximumRetryAttempts, MaximumEventAgeInSeconds: deliveryPolicy.rule.maximumEventAgeSeconds },
        DeadLetterConfig: { Arn: arnOf(deadLettersId) },
      },
    ]);
  });

  it('delivers every queue rule to the enqueue function, with the rule retry policy and the dead-letter queue', () => {
    for (const rule of queueRules()) {
      expect(rule.Properties.Targets).toEqual([
        {
          Id: expect.any(String),
          Arn: arnOf(enqueueId),
          RetryPolicy: {
            MaximumRetryAttempts: deliveryPolicy.rule.maximumRetryAttempts,
            MaximumEventAgeInSeconds: deliveryPolicy.rule.maximumEventAgeSeconds,
          },
          DeadLetterConfig: { Arn: arnOf(deadLettersId) },
        },
      ]);
    }
  });

  it('lets EventBridge dead-letter from each rule that names the queue, and from nothing else', () => {
    // Without this queue policy EventBridge cannot write to the dead-letter queue and drops the event.
    const deadLetteringRules = template.findResources('AWS::Events::Rule', {
      Properties: { Targets: Match.arrayWith([Match.objectLike({ DeadLetterConfig: { Arn: arnOf(deadLettersId) } })]) },
    });
    expect(Object.keys(deadLetteringRules)).toHaveLength(busRules(config).length + followUpRules.length + replyRules.length + subscriberRules(config).length + schedules.length);
    const [policy] = Object.values(template.findResources('AWS::SQS::QueuePolicy', { Properties: { Queues: [ref(deadLettersId)] } }));
    const fromEventBridge = (policy?.Properties.PolicyDocument.Statement as Json[]).filter(
      (statement) => statement.Effect === 'Allow' && statement.Principal?.Service === 'events.amazonaws.com',
    );
    expect(fromEventBridge.map((statement) => statement.Action)).toEqual(fromEventBridge.map(() => 'sqs:SendMessage'));
    expect(fromEventBridge.map((statement) => statement.Condition.ArnEquals['aws:SourceArn']).sort(byRule)).toEqual(
      Object.keys(deadLetteringRules).map(arnOf).sort(byRule),
    );
  });

  it('keeps the dead-letter queue encrypted and refuses requests without TLS', () => {
    expect(resourceOf(template, deadLettersId).Properties).toMatchObject({ SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [ref(deadLettersId)],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('follows a custom routing config: exactly its own rules, on a bus of its own name', () => {
    const custom = configWith({
      busName: 'acme-care',
      queues: [
        { name: 'vip', description: 'Frequent flyers', pattern: { detail: { classification: { priority: ['P1', 'P2'] } } } },
        { name: 'everything-else', description: 'Every other issue', pattern: { detail: { classification: { isIssue: [true] } } } },
      ],
    });
    const { stack: customStack, template: customTemplate } = synthRedress({ config: custom });

    customTemplate.hasResourceProperties('AWS::Events::EventBus', { Name: 'acme-care' });
    const rules = queueRules(customTemplate, logicalIdOf(customStack.eventBus.bus));
    expect(rules.map((rule) => rule.Properties.EventPattern)).toEqual(busRules(custom.config).map((rule) => rule.eventPattern));
    expect(rules.map((rule) => rule.Properties.EventPattern.detail)).toEqual([{ queue: ['vip'] }, { queue: ['everything-else'] }]);
    // The agents' groups follow the same list: one per queue, none left over from the defaults.
    expect(Object.values(customTemplate.findResources('AWS::Cognito::UserPoolGroup')).map((group) => group.Properties.GroupName)).toEqual([
      'vip',
      'everything-else',
    ]);
  });
});
