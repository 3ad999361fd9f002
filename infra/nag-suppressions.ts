import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { RedressStack } from './stack.ts';

/**
 * Every cdk-nag finding we accept, each with its reason, in one reviewable list, scoped to the
 * constructs it concerns. Any other finding fails the synth until it is fixed or listed here.
 */
export function acknowledgeNagFindings(stack: RedressStack): void {
  const acknowledge = (scope: IConstruct, id: string, reason: string) => Validations.of(scope).acknowledge({ id, reason });
  const functions = [stack.ingestApi.webhook, stack.ticketQueues.enqueue, stack.slaMonitor.handler, stack.supportApi.handler, stack.replies.handler];

  for (const fn of functions) {
    const runtimeReason =
      'Node.js 22 is the Lambda runtime redress is built and tested for (esbuild target node22; the code also runs on the Node 20 dev box); moving to a newer runtime is a deliberate upgrade with its own test pass.';
    acknowledge(fn, 'AwsSolutions::AwsSolutions-L1', runtimeReason);
    acknowledge(fn, 'Serverless::Serverless-LambdaLatestVersion', runtimeReason);
    acknowledge(
      fn.role!,
      'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions.',
    );
  }

  for (const fn of [stack.ticketQueues.enqueue, stack.slaMonitor.handler, stack.supportApi.handler, stack.replies.handler]) {
    acknowledge(
      fn.role!,
      `AwsSolutions::AwsSolutions-IAM5[Resource::<${stack.getLogicalId(stack.ticketQueues.table.node.defaultChild as never)}.Arn>/index/*]`,
      "Queue views and the SLA monitor query the ticket table's global secondary indexes; the grant covers this table's indexes only.",
    );
  }

  for (const fn of [stack.ticketQueues.enqueue, stack.slaMonitor.handler, stack.replies.handler]) {
    acknowledge(
      fn,
      'Serverless::Serverless-LambdaDLQ',
      "Failed asynchronous invocations go to an on-failure destination (the stack's dead-letter queue) instead: its record names the function that failed, which a dead-letter queue message does not, so `npx redress redrive --queue-url` can send the event back to it; both at once would deliver each failure twice.",
    );
  }
  acknowledge(
    stack.eventBus.deadLetters,
    'AwsSolutions::AwsSolutions-SQS3',
    "It is the dead-letter queue: every bus rule's target dead-letters to it and every asynchronous function's on-failure destination is it; cdk-nag recognises only a Lambda DeadLetterConfig or an SQS redrive policy as use as a DLQ.",
  );

  for (const fn of [stack.ingestApi.webhook, stack.supportApi.handler]) {
    acknowledge(
      fn,
      'Serverless::Serverless-LambdaDLQ',
      'Invoked synchronously by API Gateway: a failure is answered to the caller (platforms retry a non-2xx), so there is no asynchronous event to dead-letter.',
    );
  }

  for (const route of stack.ingestApi.routes) {
    acknowledge(
      route,
      'AwsSolutions::AwsSolutions-APIG4',
      'Platform webhooks cannot present IAM or JWT credentials; each delivery is authenticated by its HMAC signature over the raw body, checked in the webhook function before anything is parsed.',
    );
  }

  for (const route of stack.supportApi.publicRoutes) {
    acknowledge(
      route,
      'AwsSolutions::AwsSolutions-APIG4',
      'The OpenAPI document describes the API to whoever builds a client and holds no data; every route that reads or changes tickets has the JWT authorizer.',
    );
  }

  acknowledge(
    stack.ingestApi.platformSecrets,
    'AwsSolutions::AwsSolutions-SMG4',
    "Webhook signing secrets and the reply tokens change at the platforms (X's and Meta's dashboards, a Standard Webhooks sender) at the same time as here; rotation is done by hand by listing the new value beside the old (both are accepted) and removing the old one once the sender switched.",
  );

  acknowledge(
    stack.eventBus.deadLetters,
    'Serverless::Serverless-SQSRedrivePolicy',
    'This queue is the dead-letter queue itself; its messages are redriven by an operator, not consumed.',
  );
}
