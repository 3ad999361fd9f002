import { describe, expect, it } from 'vitest';
import type { FunctionName } from '#infra/topology';
import {
  actionsOf,
  allIdentityStatements,
  arnOf,
  functionNames,
  functionsOf,
  granting,
  logicalIdOf,
  ref,
  resourceOf,
  statementsOf,
  synthRedress,
  type Statement,
} from './synth.ts';

const { stack, template } = synthRedress();
const busId = logicalIdOf(stack.eventBus.bus);
const tableId = logicalIdOf(stack.ticketQueues.table);
const secretId = logicalIdOf(stack.ingestApi.platformSecrets);

/** What the function's own role allows: what its code may do in AWS. */
const permissionsOf = (name: FunctionName): Statement[] => {
  const role = functionsOf(stack)[name].role;
  if (!role) throw new Error(`${name} has no role`);
  return statementsOf(template, logicalIdOf(role));
};
const dynamoActionsOf = (name: FunctionName) => actionsOf(permissionsOf(name)).filter((action) => action.startsWith('dynamodb:'));

/** The table and its indexes, and nothing else. */
const ticketTableAndIndexes = [arnOf(tableId), { 'Fn::Join': ['', [arnOf(tableId), '/index/*']] }];

describe('least privilege', () => {
  it('lets the webhook put events on the redress bus, read its signing secrets, and keep single dedupe records, nothing more', () => {
    const webhook = permissionsOf('webhook');
    expect(granting(webhook, 'events:PutEvents').map((statement) => statement.Resource)).toEqual([arnOf(busId)]);
    expect(granting(webhook, 'secretsmanager:GetSecretValue').map((statement) => statement.Resource)).toEqual([ref(secretId)]);
    expect(dynamoActionsOf('webhook').sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    // The table itself, not its indexes: a dedupe record is read and written by key only.
    expect(granting(webhook, 'dynamodb:PutItem').map((statement) => statement.Resource)).toEqual([arnOf(tableId)]);
  });

  it("lets the support API read tickets, change them by conditional writes and announce changes on the redress bus, but never scan or delete", () => {
    const supportApi = permissionsOf('supportApi');
    expect(dynamoActionsOf('supportApi').sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
    for (const action of ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem']) {
      expect(granting(supportApi, action).map((statement) => statement.Resource)).toEqual([ticketTableAndIndexes]);
    }
    expect(granting(supportApi, 'events:PutEvents').map((statement) => statement.Resource)).toEqual([arnOf(busId)]);
  });

  it.each<FunctionName>(['enqueue', 'slaMonitor'])('lets %s read and write tickets and put events on the redress bus', (name) => {
    const permissions = permissionsOf(name);
    for (const action of ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem']) {
      expect(granting(permissions, action).map((statement) => statement.Resource)).toEqual([ticketTableAndIndexes]);
    }
    expect(granting(permissions, 'events:PutEvents').map((statement) => statement.Resource)).toEqual([arnOf(busId)]);
  });

  it('gives no function access to another table, bus or secret', () => {
    const touches = (statements: Statement[], service: string) =>
      statements.filter((statement) => actionsOf([statement]).some((action) => action.startsWith(`${service}:`)));
    for (const name of functionNames) {
      const permissions = permissionsOf(name);
      for (const statement of touches(permissions, 'dynamodb')) expect([ticketTableAndIndexes, arnOf(tableId)]).toContainEqual(statement.Resource);
      for (const statement of touches(permissions, 'events')) expect(statement.Resource).toEqual(arnOf(busId));
      for (const statement of touches(permissions, 'secretsmanager')) expect(statement.Resource).toEqual(ref(secretId));
    }
  });

  it('lets each function write logs to its own log group only', () => {
    for (const name of functionNames) {
      const ownLogGroup = resourceOf(template, logicalIdOf(functionsOf(stack)[name])).Properties.LoggingConfig.LogGroup.Ref as string;
      const logStatements = permissionsOf(name).filter((statement) => actionsOf([statement]).some((action) => action.startsWith('logs:')));
      expect(logStatements.map((statement) => statement.Resource)).toEqual([arnOf(ownLogGroup)]);
    }
  });

  it('attaches the AWSLambdaBasicExecutionRole managed policy (which may write to any log group) to no role', () => {
    const roles = template.findResources('AWS::IAM::Role');
    expect(Object.keys(roles).length).toBeGreaterThanOrEqual(functionNames.length);
    expect(JSON.stringify(roles)).not.toContain('AWSLambdaBasicExecutionRole');
  });

  it('allows "*" as a resource for X-Ray actions only, which support no narrower resource', () => {
    const statements = allIdentityStatements(template);
    expect(statements.length).toBeGreaterThan(0);
    const onAnyResource = statements.filter((statement) => statement.Effect === 'Allow' && [statement.Resource].flat().includes('*'));
    expect(actionsOf(onAnyResource).filter((action) => !action.startsWith('xray:'))).toEqual([]);
  });
});
