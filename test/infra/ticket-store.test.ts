import { describe, expect, it } from 'vitest';
import { ticketTable, ticketTableCreateInput } from '#adapters/ticket-table';
import { configWith, logicalIdOf, resourceOf, synthRedress, type Json } from './synth.ts';

const { stack, template, config } = synthRedress();
const tableId = logicalIdOf(stack.ticketQueues.table);
const table = resourceOf(template, tableId);
/** What the local runtime and the integration tests create in dynalite and DynamoDB Local. */
const local = ticketTableCreateInput('tickets');

const byName = (key: string) => (a: Json, b: Json) => String(a[key]).localeCompare(String(b[key]));

describe('the ticket table', () => {
  // CloudFormation knows a resource by its logical ID. A refactor that renames or moves the table's
  // construct changes the ID, and CloudFormation then creates a new, empty table and (with Retain)
  // orphans the old one with every ticket in it, while the functions switch to the new one. Pinning
  // the ID makes such a refactor fail here first; if it is intended, keep the old ID with
  // overrideLogicalId or move the table with a CloudFormation resource import.
  it('keeps its logical ID, so no refactor silently replaces it', () => {
    expect(tableId).toBe('TicketQueuesTableB208A664');
    expect(Object.keys(template.findResources('AWS::DynamoDB::Table'))).toEqual(['TicketQueuesTableB208A664']);
  });

  it('has the keys and indexes the data layer declares, the same ones it creates locally', () => {
    expect(table.Properties.KeySchema).toEqual(local.KeySchema);
    expect([...table.Properties.AttributeDefinitions].sort(byName('AttributeName'))).toEqual(
      [...(local.AttributeDefinitions ?? [])].sort(byName('AttributeName')),
    );
    expect([...table.Properties.GlobalSecondaryIndexes].sort(byName('IndexName'))).toEqual(
      [...(local.GlobalSecondaryIndexes ?? [])].sort(byName('IndexName')),
    );
  });

  it('bills on demand', () => {
    expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(local.BillingMode).toBe('PAY_PER_REQUEST');
  });

  it('expires posts and tickets through TTL on expiresAt', () => {
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: ticketTable.timeToLiveAttribute, Enabled: true });
    expect(ticketTable.timeToLiveAttribute).toBe('expiresAt');
  });

  it('keeps point-in-time recovery on', () => {
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
  });

  it('is retained when the stack is deleted or the table replaced', () => {
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
  });

  it('has deletion protection on by default', () => {
    expect(config.deployment.deletionProtection).toBe(true);
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
  });

  it('drops deletion protection when the config turns it off', () => {
    const { stack: unprotected, template: synthesized } = synthRedress({ config: configWith({ deployment: { deletionProtection: false } }) });
    expect(resourceOf(synthesized, logicalIdOf(unprotected.ticketQueues.table)).Properties.DeletionProtectionEnabled).toBe(false);
  });
});
