import { Duration } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule, type EventBus } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { RedressConfig } from '#contracts/config';
import { MetricService } from '#contracts/metrics';
import { functions, schedules } from '../topology.ts';
import { RedressFunction } from './redress-function.ts';

export interface SlaMonitorProps {
  table: Table;
  bus: EventBus;
  deadLetters: IQueue;
  config: RedressConfig;
  logRetentionDays: number;
}

/** How long a run keeps watching after its pass: the schedule's minute. */
export const MONITOR_LOOKAHEAD_SECONDS = 60;

/** The SLA monitor on its schedule; a missed run is caught up by the next one a minute later. */
export class SlaMonitor extends Construct {
  readonly handler: RedressFunction;

  constructor(scope: Construct, id: string, props: SlaMonitorProps) {
    super(scope, id);
    this.handler = new RedressFunction(this, 'Handler', {
      spec: functions.slaMonitor,
      serviceName: MetricService.slaMonitor,
      config: props.config,
      logRetentionDays: props.logRetentionDays,
      environment: {
        TABLE_NAME: props.table.tableName,
        EVENT_BUS_NAME: props.bus.eventBusName,
        // Each run watches the coming minute for deadlines, so with one run a minute a warning or
        // breach is raised within about a second of its time (runs overlap briefly; marks are
        // version-checked).
        SLA_MONITOR_LOOKAHEAD_SECONDS: String(MONITOR_LOOKAHEAD_SECONDS),
      },
      // Each run re-reads what is due, so retrying a failed run would only duplicate the next one;
      // a failed run is dead-lettered so it shows in the queue's depth.
      asyncFailure: { deadLetterQueue: props.deadLetters, retryAttempts: 0, maximumEventAgeSeconds: 300 },
    });
    props.table.grantReadWriteData(this.handler);
    props.bus.grantPutEventsTo(this.handler);

    for (const schedule of schedules.filter((candidate) => candidate.target === 'slaMonitor')) {
      new Rule(this, schedule.id, {
        description: `Runs the SLA monitor every ${schedule.everyMinutes} minute(s)`,
        schedule: Schedule.rate(Duration.minutes(schedule.everyMinutes)),
        targets: [new LambdaFunction(this.handler, { deadLetterQueue: props.deadLetters, retryAttempts: 2, maxEventAge: Duration.minutes(5) })],
      });
    }
  }
}
