import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { vi } from 'vitest';
import { loadConfig } from '#config/load-config';
import { runtimeConfigJson } from '#config/runtime-config';
import { lambdaContext as localLambdaContext } from '#infra/local/invoke';

/** A Lambda context as the runtime passes it, for calling handlers directly. */
export function lambdaContext(functionName = 'test-function'): Context {
  return localLambdaContext(functionName, { memorySize: 256, timeoutSeconds: 10 });
}

/** An HTTP API (payload 2.0) event, as API Gateway builds it; by default a POST to /webhooks/generic. */
export function httpEvent(
  overrides: Partial<APIGatewayProxyEventV2> & { method?: string; path?: string; route?: string } = {},
): APIGatewayProxyEventV2 {
  const { method = 'POST', path = '/webhooks/generic', route = 'ANY /webhooks/{platform}', ...rest } = overrides;
  const platform = /^\/webhooks\/([^/]+)$/.exec(path)?.[1];
  return {
    version: '2.0',
    routeKey: route,
    ...(platform ? { pathParameters: { platform } } : {}),
    rawPath: path,
    rawQueryString: '',
    headers: {},
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.1', userAgent: 'test' },
      requestId: 'request-1',
      routeKey: route,
      stage: '$default',
      time: '22/Nov/2026:10:00:00 +0000',
      timeEpoch: 1_795_341_600_000,
    },
    ...rest,
  };
}

/** The environment a deployed function gets, plus the config CDK bakes into its bundle. */
function functionEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    TABLE_NAME: 'tickets-test',
    EVENT_BUS_NAME: 'redress',
    REDRESS_CONFIG_JSON: runtimeConfigJson(loadConfig({}).config),
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_NAMESPACE: 'redress',
    ...extra,
  };
}

/**
 * A function's handler, imported with the environment its stack gives it (functionEnvironment
 * plus `extra`) stubbed in first, as module-level code reads it once. Undo with vi.unstubAllEnvs().
 */
export async function importHandler<Handler>(load: () => Promise<unknown>, extra: Record<string, string> = {}): Promise<Handler> {
  for (const [name, value] of Object.entries(functionEnvironment(extra))) vi.stubEnv(name, value);
  return ((await load()) as { handler: Handler }).handler;
}
