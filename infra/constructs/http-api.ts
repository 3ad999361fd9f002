import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpRoute, HttpStage, LogGroupLogDestination, type CfnRoute, type CfnStage } from 'aws-cdk-lib/aws-apigatewayv2';
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
  /** The one stage, `$default`: its metrics are the whole API's. */
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, props: { logRetentionDays: number }) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', { description: 'redress webhooks and support API', createDefaultStage: false });
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: retentionFor(props.logRetentionDays),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
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

  /**
   * Per-route CloudWatch metrics (dimensions ApiId, Method, Resource, Stage) for these route keys
   * only: API Gateway bills each as a custom metric, so they are kept to the routes an alarm reads.
   * A route setting names a route that must exist before the stage is deployed, hence the
   * dependency; a key with no route fails here, at synth, rather than in CloudFormation.
   */
  enableDetailedMetrics(routeKeys: string[]): void {
    const routes = this.api.node.children.filter((child): child is HttpRoute => child instanceof HttpRoute);
    const keyOf = (route: HttpRoute) => (route.node.defaultChild as CfnRoute).routeKey;
    const missing = routeKeys.filter((key) => !routes.some((route) => keyOf(route) === key));
    if (missing.length > 0) throw new Error(`no route ${missing.join(', ')} on the HTTP API to enable detailed metrics for`);
    this.stage.node.addDependency(...routes.filter((route) => routeKeys.includes(keyOf(route))));
    // The stage's throttling repeated, so that adding route settings cannot change the limits the route is held to.
    (this.stage.node.defaultChild as CfnStage).routeSettings = Object.fromEntries(
      routeKeys.map((key) => [key, { DetailedMetricsEnabled: true, ThrottlingRateLimit: RATE_LIMIT, ThrottlingBurstLimit: BURST_LIMIT }]),
    );
  }
}
