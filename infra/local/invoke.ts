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
  const context = lambdaContext(fn.name, fn.spec);
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

/** A fresh context per invocation, as the Lambda runtime passes it: request id, remaining time. */
export function lambdaContext(functionName: string, spec: Pick<FunctionSpec, 'memorySize' | 'timeoutSeconds'>): Context {
  const deadline = Date.now() + spec.timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: String(spec.memorySize),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
