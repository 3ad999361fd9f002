import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { HttpApi, HttpMethod, HttpRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { EventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { RedressConfig } from '#contracts/config';
import { MetricService } from '#contracts/metrics';
import { functions, routes } from '../topology.ts';
import { RedressFunction } from './redress-function.ts';

export interface IngestApiProps {
  api: HttpApi;
  bus: EventBus;
  /** Where delivery dedupe records live (the ticket table, items `DEDUPE#<key>`). */
  table: Table;
  config: RedressConfig;
  logRetentionDays: number;
}

/**
 * The platform webhooks: the webhook function on its routes, with every platform's secrets in
 * one Secrets Manager secret, the right to put events on the bus, and to its dedupe records.
 */
export class IngestApi extends Construct {
  readonly webhook: RedressFunction;
  readonly platformSecrets: Secret;
  readonly routes: HttpRoute[];

  constructor(scope: Construct, id: string, props: IngestApiProps) {
    super(scope, id);
    // WEBHOOK_SECRETS is generated: 32 letters and digits are valid base64 for 24 bytes, the
    // minimum Standard Webhooks asks; give it (optionally prefixed with "whsec_") to the sender.
    // The X and Meta values come from their developer dashboards and are filled in after deploy
    // (the access tokens are the reply function's: see the Replies construct).
    // Any value may hold several, comma-separated, while it rotates: every listed one is accepted.
    this.platformSecrets = new Secret(this, 'PlatformSecrets', {
      description:
        'redress platform secrets: WEBHOOK_SECRETS (generated), X_CONSUMER_SECRET, META_APP_SECRET, META_VERIFY_TOKEN; for replies X_ACCESS_TOKEN, META_PAGE_ACCESS_TOKEN',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ X_CONSUMER_SECRET: '', META_APP_SECRET: '', META_VERIFY_TOKEN: '', X_ACCESS_TOKEN: '', META_PAGE_ACCESS_TOKEN: '' }),
        generateStringKey: 'WEBHOOK_SECRETS',
        passwordLength: 32,
        excludePunctuation: true,
        includeSpace: false,
      },
    });
    this.webhook = new RedressFunction(this, 'Webhook', {
      spec: functions.webhook,
      serviceName: MetricService.webhook,
      config: props.config,
      logRetentionDays: props.logRetentionDays,
      environment: {
        TABLE_NAME: props.table.tableName,
        EVENT_BUS_NAME: props.bus.eventBusName,
        PLATFORM_SECRETS_ARN: this.platformSecrets.secretArn,
      },
    });
    this.platformSecrets.grantRead(this.webhook);
    props.bus.grantPutEventsTo(this.webhook);
    // Dedupe records only: single items by key, no queries, no indexes.
    this.webhook.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        resources: [props.table.tableArn],
      }),
    );

    const integration = new HttpLambdaIntegration('WebhookIntegration', this.webhook);
    this.routes = routes
      .filter((candidate) => candidate.function === 'webhook')
      .flatMap((route) => props.api.addRoutes({ path: route.path, methods: [route.method as HttpMethod], integration }));
  }
}
