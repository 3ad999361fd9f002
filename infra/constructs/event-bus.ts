import { Duration, Stack } from 'aws-cdk-lib';
import { EventBus, Rule, type EventPattern, type IRuleTarget } from 'aws-cdk-lib/aws-events';
import { LambdaFunction, SnsTopic, type TargetBaseProps } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { parseEventPattern } from '#event-patterns/validate';
import { deliveryPolicy, type BusRuleSpec, type SubscriberRuleSpec } from '../topology.ts';

export interface RedressEventBusProps {
  busName: string;
  /** How long archived events (which hold posts) are kept. */
  archiveRetentionDays: number;
}

/**
 * The `redress` bus with an archive of every event for replay, and one dead-letter queue for
 * every delivery that runs out of retries (rule targets and asynchronous invocations alike).
 */
export class RedressEventBus extends Construct {
  readonly bus: EventBus;
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: RedressEventBusProps) {
    super(scope, id);
    this.bus = new EventBus(this, 'Bus', { eventBusName: props.busName });
    this.bus.archive('Archive', {
      description: 'Every event on the redress bus, for replay',
      eventPattern: { account: [Stack.of(this).account] },
      retention: Duration.days(props.archiveRetentionDays),
    });
    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
  }

  /** One rule per spec, each delivering to `target` with the retry policy and the dead-letter queue. */
  addRules(rules: BusRuleSpec[], target: IFunction): Rule[] {
    return rules.map((spec) => this.addRule(spec, (delivery) => new LambdaFunction(target, delivery)));
  }

  /**
   * The configured subscribers' rules (config `subscribers`), each delivering the matching event
   * to `topic` (ops) with the same retry policy and dead-letter queue as every other rule.
   */
  addSubscriberRules(rules: SubscriberRuleSpec[], topic: ITopic): Rule[] {
    return rules.map((spec) => this.addRule(spec, (delivery) => new SnsTopic(topic, delivery)));
  }

  private addRule(spec: BusRuleSpec | SubscriberRuleSpec, target: (delivery: TargetBaseProps) => IRuleTarget): Rule {
    // Checked with EventBridge's own rules here, at synth, rather than by a failed deployment.
    parseEventPattern(spec.eventPattern);
    const rule = new Rule(this, spec.id, { eventBus: this.bus, description: spec.description, eventPattern: toCdkEventPattern(spec.eventPattern) });
    rule.addTarget(
      target({
        deadLetterQueue: this.deadLetters,
        retryAttempts: deliveryPolicy.rule.maximumRetryAttempts,
        maxEventAge: Duration.seconds(deliveryPolicy.rule.maximumEventAgeSeconds),
      }),
    );
    return rule;
  }
}

/** CDK's EventPattern names `detail-type` as `detailType` and renders it back; every other key is as written. */
function toCdkEventPattern(pattern: Record<string, unknown>): EventPattern {
  const { 'detail-type': detailType, ...rest } = pattern;
  return (detailType === undefined ? rest : { ...rest, detailType }) as EventPattern;
}
