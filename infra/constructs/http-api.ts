import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { retentionFor } from './log-retention.ts';

/** Steady requests per second across the API, and the burst above it; platforms retry a 429. */
const RATE_LIMIT = 500;
const BURST_LIMIT = 1000;

/**
 * The one public HTTP API: platform webhooks and the agents' support API. Access logs are JSON
 * lines with the request id and status, never bodies or headers.
 */
export class RedressHttpApi extends Construct {
  readonly api: HttpApi;

  constructor(scope: Construct, id: string, props: { logRetentionDays: number }) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', { description: 'redress webhooks and support API', createDefaultStage: false });
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: retentionFor(props.logRetentionDays),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: RATE_LIMIT, burstLimit: BURST_LIMIT },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            requestTime: '$context.requestTime',
          }),
        ),
      },
    });
  }
}
