import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { HttpApi, HttpMethod, HttpRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import type { EventBus } from 'aws-cdk-lib/aws-events';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { functions, routes } from '../topology.ts';
import { RedressFunction } from './redress-function.ts';

export interface IngestApiProps {
  api: HttpApi;
  bus: EventBus;
  configInput: unknown;
  logRetentionDays: number;
}

/**
 * The platform webhooks: the webhook function on its routes, with the signing secrets in
 * Secrets Manager and the right to put events on the bus, nothing more.
 */
export class IngestApi extends Construct {
  readonly webhook: RedressFunction;
  readonly webhookSecrets: Secret;
  readonly routes: HttpRoute[];

  constructor(scope: Construct, id: string, props: IngestApiProps) {
    super(scope, id);
    // 32 letters and digits are valid base64 for 24 bytes, the minimum Standard Webhooks asks;
    // give the value (optionally prefixed with "whsec_") to the sender. Comma-separate a second
    // value while rotating: every listed secret is accepted.
    this.webhookSecrets = new Secret(this, 'WebhookSecrets', {
      description: 'Standard Webhooks signing secrets for POST /webhooks/generic (comma-separated)',
      generateSecretString: { passwordLength: 32, excludePunctuation: true, includeSpace: false },
    });
    this.webhook = new RedressFunction(this, 'Webhook', {
      spec: functions.webhook,
      serviceName: 'redress-webhook',
      configInput: props.configInput,
      logRetentionDays: props.logRetentionDays,
      environment: { EVENT_BUS_NAME: props.bus.eventBusName, WEBHOOK_SECRETS_ARN: this.webhookSecrets.secretArn },
    });
    this.webhookSecrets.grantRead(this.webhook);
    props.bus.grantPutEventsTo(this.webhook);

    const integration = new HttpLambdaIntegration('WebhookIntegration', this.webhook);
    this.routes = routes
      .filter((candidate) => candidate.function === 'webhook')
      .flatMap((route) => props.api.addRoutes({ path: route.path, methods: [route.method as HttpMethod], integration }));
  }
}
