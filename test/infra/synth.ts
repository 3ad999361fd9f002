import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultConfig } from '#config/defaults';
import { loadConfig, mergeConfig, parseConfig, type LoadedConfig } from '#config/load-config';
import type { RedressFunction } from '#infra/constructs/redress-function';
import { RedressStack } from '#infra/stack';
import type { FunctionName } from '#infra/topology';

/**
 * The stack under test, built in-process the way `cdk synth` builds it, so the tests read the
 * template that deploys.
 */

export const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * cdk.json's context holds the feature flags the CLI hands the app; they change the template
 * (how grants merge into policies, the SQS SSL policy), so tests synthesize with them too.
 */
export const cdkJsonContext: Record<string, unknown> = (JSON.parse(readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> })
  .context;

/** The default configuration, read without the environment so a REDRESS_CONFIG on the machine cannot leak in. */
export const defaults: LoadedConfig = loadConfig({});

/** The defaults with `override` merged in, as a REDRESS_CONFIG file would merge (lists replace). */
export function configWith(override: unknown): LoadedConfig {
  const input = mergeConfig(defaultConfig, override);
  return { config: parseConfig(input, 'test'), input, origin: 'test' };
}

export interface SynthOptions {
  config?: LoadedConfig;
  /** Where the cloud assembly goes (default: a temporary directory CDK picks). */
  outdir?: string;
}

export interface Synthesized {
  app: App;
  stack: RedressStack;
  config: LoadedConfig['config'];
}

/**
 * The app and stack, without bundling the functions (esbuild takes seconds per function and no
 * template property depends on the bundle) and without CDK's built-in CloudFormation schema
 * check (seconds more; `cdk synth` runs it).
 */
export function buildRedress(options: SynthOptions = {}): Synthesized {
  const loaded = options.config ?? defaults;
  const app = new App({
    ...(options.outdir === undefined ? {} : { outdir: options.outdir }),
    builtinCloudFormationValidation: false,
    context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] },
  });
  const stack = new RedressStack(app, 'Redress', { config: loaded });
  return { app, stack, config: loaded.config };
}

export function synthRedress(options: SynthOptions = {}): Synthesized & { template: Template } {
  const built = buildRedress(options);
  return { ...built, template: Template.fromStack(built.stack) };
}

export { addNagChecks } from '#infra/nag-checks';

export const NAG_PACKS = ['AwsSolutions', 'Serverless'];

// ---- reading the template ----------------------------------------------------------------

export type Json = Record<string, any>;

export const functionNames: FunctionName[] = ['webhook', 'enqueue', 'slaMonitor', 'supportApi', 'reply'];

export function functionsOf(stack: RedressStack): Record<FunctionName, RedressFunction> {
  return {
    webhook: stack.ingestApi.webhook,
    enqueue: stack.ticketQueues.enqueue,
    slaMonitor: stack.slaMonitor.handler,
    supportApi: stack.supportApi.handler,
    reply: stack.replies.handler,
  };
}

/** The CloudFormation logical ID of an L2 construct's resource. */
export function logicalIdOf(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

export function resourceOf(template: Template, logicalId: string): Json {
  const resource = (template.toJSON() as { Resources: Record<string, Json> }).Resources[logicalId];
  if (resource === undefined) throw new Error(`no resource ${logicalId} in the template`);
  return resource;
}

export const ref = (logicalId: string) => ({ Ref: logicalId });
export const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

export interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: unknown;
}

/** Every identity-policy statement that applies to a role: its inline policies and the policies attached to it. */
export function statementsOf(template: Template, roleLogicalId: string): Statement[] {
  const attached = [
    ...Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: Match.arrayWith([ref(roleLogicalId)]) } })),
    ...Object.values(template.findResources('AWS::IAM::ManagedPolicy', { Properties: { Roles: Match.arrayWith([ref(roleLogicalId)]) } })),
  ].flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
  const inline = ((resourceOf(template, roleLogicalId).Properties.Policies ?? []) as Json[]).flatMap(
    (policy) => policy.PolicyDocument.Statement as Statement[],
  );
  return [...attached, ...inline];
}

/** Every identity-policy statement in the template. */
export function allIdentityStatements(template: Template): Statement[] {
  const documents = [
    ...Object.values(template.findResources('AWS::IAM::Policy')).map((policy) => policy.Properties.PolicyDocument),
    ...Object.values(template.findResources('AWS::IAM::ManagedPolicy')).map((policy) => policy.Properties.PolicyDocument),
    ...Object.values(template.findResources('AWS::IAM::Role')).flatMap((role) => ((role.Properties.Policies ?? []) as Json[]).map((policy) => policy.PolicyDocument)),
  ] as Json[];
  return documents.flatMap((document) => document.Statement as Statement[]);
}

export const actionsOf = (statements: Statement[]): string[] => statements.flatMap((statement) => [statement.Action].flat());

/** The allowed statements that grant `action` (exactly, not by wildcard). */
export const granting = (statements: Statement[], action: string): Statement[] =>
  statements.filter((statement) => statement.Effect === 'Allow' && [statement.Action].flat().includes(action));
