import { describe, expect, it } from 'vitest';
import { deliveryPolicy, functions, schedules, type FunctionName } from '#infra/topology';
import { arnOf, functionNames, functionsOf, logicalIdOf, ref, resourceOf, synthRedress, type Json } from './synth.ts';

const { stack, template, config } = synthRedress();
const functionIdOf = (name: FunctionName): string => logicalIdOf(functionsOf(stack)[name]);
const functionResource = (name: FunctionName): Json => resourceOf(template, functionIdOf(name));
const deadLettersId = logicalIdOf(stack.eventBus.deadLetters);

const asyncInvokeConfigOf = (name: FunctionName): Json | undefined =>
  Object.values(template.findResources('AWS::Lambda::EventInvokeConfig', { Properties: { FunctionName: ref(functionIdOf(name)) } }))[0];

describe('the functions', () => {
  it('are the four the topology lists, and no others', () => {
    expect(Object.keys(functions).sort()).toEqual([...functionNames].sort());
    expect(Object.keys(template.findResources('AWS::Lambda::Function')).sort()).toEqual(functionNames.map(functionIdOf).sort());
  });

  describe.each(functionNames)('%s', (name) => {
    it('runs on Node.js 22 on arm64, from index.handler', () => {
      const { Properties } = functionResource(name);
      expect(Properties.Runtime).toBe('nodejs22.x');
      expect(Properties.Architectures).toEqual(['arm64']);
      expect(Properties.Handler).toBe('index.handler');
    });

    it('is traced with X-Ray', () => {
      expect(functionResource(name).Properties.TracingConfig).toEqual({ Mode: 'Active' });
    });

    it('logs JSON to a log group of its own, kept for the configured days', () => {
      const logging = functionResource(name).Properties.LoggingConfig;
      expect(logging.LogFormat).toBe('JSON');
      const logGroupId = logging.LogGroup.Ref as string;
      expect(resourceOf(template, logGroupId)).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: config.deployment.logRetentionDays } });
      const sharers = functionNames.filter((other) => functionResource(other).Properties.LoggingConfig.LogGroup.Ref === logGroupId);
      expect(sharers).toEqual([name]);
    });

    it('does not turn on Node source maps (they slow every cold start)', () => {
      const nodeOptions: unknown = functionResource(name).Properties.Environment?.Variables?.NODE_OPTIONS;
      expect(typeof nodeOptions === 'string' && nodeOptions.includes('--enable-source-maps')).toBe(false);
    });
  });

  // An on-failure destination rather than a dead-letter queue: its record names the function, so
  // `npx redress redrive --queue-url` knows where to send the event back.
  const toTheDeadLetterQueue = { OnFailure: { Destination: arnOf(deadLettersId) } };

  it('dead-letters an enqueue event once Lambda has retried it as deliveryPolicy.asyncInvoke says', () => {
    expect(functionResource('enqueue').Properties.DeadLetterConfig).toBeUndefined();
    expect(asyncInvokeConfigOf('enqueue')?.Properties).toMatchObject({
      MaximumRetryAttempts: deliveryPolicy.asyncInvoke.retryAttempts,
      MaximumEventAgeInSeconds: deliveryPolicy.asyncInvoke.maximumEventAgeSeconds,
      DestinationConfig: toTheDeadLetterQueue,
    });
  });

  it('dead-letters a failed SLA monitor run without retrying it (the next run a minute later re-reads what is due)', () => {
    expect(functionResource('slaMonitor').Properties.DeadLetterConfig).toBeUndefined();
    expect(asyncInvokeConfigOf('slaMonitor')?.Properties).toMatchObject({ MaximumRetryAttempts: 0, DestinationConfig: toTheDeadLetterQueue });
  });

  it('runs the SLA monitor every minute', () => {
    expect(schedules.filter((schedule) => schedule.target === 'slaMonitor')).toHaveLength(1);
    const scheduled = Object.values(template.findResources('AWS::Events::Rule', { Properties: { ScheduleExpression: 'rate(1 minute)' } }));
    expect(scheduled.map((rule) => rule.Properties.Targets.map((target: Json) => target.Arn))).toEqual([[arnOf(functionIdOf('slaMonitor'))]]);
  });

  it('lets each run watch the coming minute for deadlines, with the time to do so', () => {
    const { Environment, Timeout } = functionResource('slaMonitor').Properties;
    expect(Environment.Variables.SLA_MONITOR_LOOKAHEAD_SECONDS).toBe('60');
    // The minute of watching, then the queues read for the metrics.
    expect(Timeout).toBeGreaterThanOrEqual(80);
  });
});

describe('the platform signing secrets', () => {
  const secretId = logicalIdOf(stack.ingestApi.platformSecrets);
  const environments = functionNames.map((name) => (functionResource(name).Properties.Environment?.Variables ?? {}) as Json);

  it('live in Secrets Manager with the webhook secret generated, so no value is in the template', () => {
    const secret = resourceOf(template, secretId);
    expect(secret.Type).toBe('AWS::SecretsManager::Secret');
    expect(secret.Properties.GenerateSecretString).toMatchObject({ GenerateStringKey: 'WEBHOOK_SECRETS' });
    expect(JSON.parse(secret.Properties.GenerateSecretString.SecretStringTemplate)).toEqual({
      X_CONSUMER_SECRET: '',
      META_APP_SECRET: '',
      META_VERIFY_TOKEN: '',
      X_ACCESS_TOKEN: '',
      META_PAGE_ACCESS_TOKEN: '',
    });
    expect(secret.Properties.SecretString).toBeUndefined();
  });

  it('reach the webhook and reply functions as the secret ARN only (PLATFORM_SECRETS_ARN)', () => {
    expect(functionResource('webhook').Properties.Environment.Variables.PLATFORM_SECRETS_ARN).toEqual(ref(secretId));
    expect(functionResource('reply').Properties.Environment.Variables.PLATFORM_SECRETS_ARN).toEqual(ref(secretId));
    const mentions = environments.flatMap((variables) => Object.entries(variables).filter(([, value]) => JSON.stringify(value).includes(secretId)));
    expect(mentions).toEqual([
      ['PLATFORM_SECRETS_ARN', ref(secretId)],
      ['PLATFORM_SECRETS_ARN', ref(secretId)],
    ]);
  });

  it('is never resolved into an environment variable', () => {
    // A `{{resolve:secretsmanager:...}}` reference would put the plain value in the function configuration.
    for (const variables of environments) expect(JSON.stringify(variables)).not.toMatch(/resolve:secretsmanager|SecretString/);
  });
});
