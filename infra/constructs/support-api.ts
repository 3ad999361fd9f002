import { RemovalPolicy } from 'aws-cdk-lib';
import type { HttpApi, HttpMethod, HttpRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccountRecovery, CfnUserPoolGroup, FeaturePlan, Mfa, UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { EventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { RedressConfig } from '#contracts/config';
import { MetricService } from '#contracts/metrics';
import { functions, routes } from '../topology.ts';
import { RedressFunction } from './redress-function.ts';

export interface SupportApiProps {
  api: HttpApi;
  table: Table;
  /** Where ticket changes are announced (Ticket.Responded sends a reply on its way). */
  bus: EventBus;
  queues: string[];
  config: RedressConfig;
  logRetentionDays: number;
}

/**
 * The agents' API: a Cognito user pool whose groups name the queues an agent may work (one group
 * per configured queue), a JWT authorizer on every support route but the API's own description,
 * and the support function, which reads and changes tickets and announces changes on the bus.
 */
export class SupportApi extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly handler: RedressFunction;
  /** Routes anyone may call (the OpenAPI document), for the record of why they have no authorizer. */
  readonly publicRoutes: HttpRoute[];

  constructor(scope: Construct, id: string, props: SupportApiProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Agents', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      // Agent accounts outlive any one deployment of the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const queue of props.queues) {
      new CfnUserPoolGroup(this, `Queue-${queue}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: queue,
        description: `Agents who work the ${queue} queue`,
      });
    }
    // Agents sign in with SRP; CDK's default OAuth flows (implicit grant, a placeholder callback
    // URL) would be a way to hand tokens elsewhere once the pool gets a domain.
    this.client = this.userPool.addClient('AgentConsole', { authFlows: { userSrp: true }, generateSecret: false, disableOAuth: true });
    const authorizer = new HttpUserPoolAuthorizer('AgentAuthorizer', this.userPool, { userPoolClients: [this.client] });

    this.handler = new RedressFunction(this, 'Handler', {
      spec: functions.supportApi,
      serviceName: MetricService.supportApi,
      config: props.config,
      logRetentionDays: props.logRetentionDays,
      environment: { TABLE_NAME: props.table.tableName, EVENT_BUS_NAME: props.bus.eventBusName },
    });
    // Reads by key and by query (the queue index), and the conditional writes of a change: the
    // ticket and its outbox, its history and reply records. Never a scan, never a delete.
    this.handler.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [props.table.tableArn, `${props.table.tableArn}/index/*`],
      }),
    );
    props.bus.grantPutEventsTo(this.handler);

    const integration = new HttpLambdaIntegration('SupportIntegration', this.handler);
    this.publicRoutes = [];
    for (const route of routes.filter((candidate) => candidate.function === 'supportApi')) {
      const added = props.api.addRoutes({
        path: route.path,
        methods: [route.method as HttpMethod],
        integration,
        ...(route.auth === 'jwt' ? { authorizer } : {}),
      });
      if (route.auth === 'none') this.publicRoutes.push(...added);
    }
  }
}
