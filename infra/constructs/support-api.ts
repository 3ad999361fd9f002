import { RemovalPolicy } from 'aws-cdk-lib';
import type { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccountRecovery, CfnUserPoolGroup, FeaturePlan, Mfa, UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { RedressConfig } from '#contracts/config';
import { functions, routes } from '../topology.ts';
import { RedressFunction } from './redress-function.ts';

export interface SupportApiProps {
  api: HttpApi;
  table: Table;
  queues: string[];
  config: RedressConfig;
  logRetentionDays: number;
}

/**
 * The agents' API: a Cognito user pool whose groups name the queues an agent may work (one group
 * per configured queue), a JWT authorizer on every support route, and the support function with
 * read access to the tickets.
 */
export class SupportApi extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly handler: RedressFunction;

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
      serviceName: 'redress-support-api',
      config: props.config,
      logRetentionDays: props.logRetentionDays,
      environment: { TABLE_NAME: props.table.tableName },
    });
    props.table.grantReadData(this.handler);

    const integration = new HttpLambdaIntegration('SupportIntegration', this.handler);
    for (const route of routes.filter((candidate) => candidate.function === 'supportApi')) {
      props.api.addRoutes({ path: route.path, methods: [route.method as HttpMethod], integration, authorizer });
    }
  }
}
