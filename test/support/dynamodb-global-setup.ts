import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startDynalite } from '#infra/local/dynamodb';
import { dynamoDbLocalUnavailableReason, startDynamoDbLocal } from './dynamodb-local.ts';

export interface DynamoDbTarget {
  name: 'dynalite' | 'DynamoDB Local';
  endpoint: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoDbTargets: DynamoDbTarget[];
  }
}

/**
 * Starts dynalite once per run and, when Java 17+ is present, AWS's DynamoDB Local, so the
 * data-layer suites run against both and prove they agree.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dynalite = await startDynalite({ port: 0 });
  const targets: DynamoDbTarget[] = [{ name: 'dynalite', endpoint: dynalite.endpoint }];
  const stops = [dynalite.stop];

  const unavailable = dynamoDbLocalUnavailableReason();
  if (unavailable) {
    console.warn(`[integration] skipping DynamoDB Local: ${unavailable}`);
  } else {
    const local = await startDynamoDbLocal();
    targets.push({ name: 'DynamoDB Local', endpoint: local.endpoint });
    stops.push(local.stop);
  }

  project.provide('dynamoDbTargets', targets);
  return async () => {
    await Promise.all(stops.map((stop) => stop()));
  };
}
