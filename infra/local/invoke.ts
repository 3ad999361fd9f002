import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { FunctionSpec } from '#infra/topology';

export type Handler = (event: unknown, context: Context) => Promise<unknown>;

export interface LocalFunction {
  name: string;
  spec: FunctionSpec;
  handler: Handler;
}

export class FunctionTimeoutError extends Error {
  override readonly name = 'FunctionTimeoutError';
}

/**
 * Calls a handler as Lambda would: a fresh context per invocation with a request id and the
 * remaining time, and a timeout after which the invocation counts as failed.
 */
export async function invoke(fn: LocalFunction, event: unknown): Promise<unknown> {
  const deadline = Date.now() + fn.spec.timeoutSeconds * 1000;
  const context: Context = {
    callbackWaitsForEmptyEventLoop: false,
    functionName: fn.name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${fn.name}`,
    memoryLimitInMB: String(fn.spec.memorySize),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${fn.name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FunctionTimeoutError(`${fn.name} timed out after ${fn.spec.timeoutSeconds} s`)), fn.spec.timeoutSeconds * 1000);
  });
  try {
    return await Promise.race([fn.handler(event, context), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
