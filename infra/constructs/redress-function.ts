import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, ApplicationLogLevel, LoggingFormat, Runtime, SystemLogLevel, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, type OutputFormat, type SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import path from 'node:path';
import type { RedressConfig } from '#contracts/config';
import { METRICS_NAMESPACE } from '#contracts/metrics';
import { BUNDLE_ALIASES, BUNDLE_EXTERNALS, BUNDLE_OUTPUT, configDefine, copyFileCommands, ESBUILD_TARGET, ESM_REQUIRE_BANNER, MAIN_FIELDS } from '../bundling.ts';
import type { FunctionSpec } from '../topology.ts';
import { retentionFor } from './log-retention.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface RedressFunctionProps {
  spec: FunctionSpec;
  serviceName: string;
  /** The validated configuration, baked into the function bundle. */
  config: RedressConfig;
  logRetentionDays: number;
  environment?: Record<string, string>;
  /**
   * For functions invoked asynchronously (by the bus or a schedule): where an event goes once
   * Lambda's retries are spent, as the function's on-failure destination. Its message is Lambda's
   * invocation record, which names the function that failed and holds the event and the error,
   * so `npx redress redrive --queue-url` can send it back to that function (a dead-letter queue
   * would hold the bare event and not say whose it was).
   */
  asyncFailure?: { deadLetterQueue: IQueue; retryAttempts: number; maximumEventAgeSeconds: number };
}

/**
 * Every redress function, with the house defaults in one place: Node 22 on arm64 (cheaper and
 * faster to start), one minified ESM bundle with the SDK inside and an external source map,
 * JSON logs in a log group with explicit retention, X-Ray tracing.
 */
export class RedressFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: RedressFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: retentionFor(props.logRetentionDays),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Its own role, allowed to write to its own log group only (not the managed basic-execution
    // policy, which may write to any log group); grants add exactly what the function uses.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `redress ${props.serviceName}`,
    });
    logGroup.grantWrite(role);
    const asyncFailure = props.asyncFailure;
    super(scope, id, {
      entry: path.join(ROOT, props.spec.entry),
      handler: 'handler',
      projectRoot: ROOT,
      depsLockFilePath: path.join(ROOT, 'package-lock.json'),
      description: props.spec.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.spec.memorySize,
      timeout: Duration.seconds(props.spec.timeoutSeconds),
      tracing: Tracing.ACTIVE,
      role,
      logGroup,
      onFailure: asyncFailure && new SqsDestination(asyncFailure.deadLetterQueue),
      retryAttempts: asyncFailure?.retryAttempts,
      maxEventAge: asyncFailure && Duration.seconds(asyncFailure.maximumEventAgeSeconds),
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      environment: { POWERTOOLS_SERVICE_NAME: props.serviceName, POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE, ...props.environment },
      bundling: {
        // CDK's enums carry the same strings esbuild takes.
        format: BUNDLE_OUTPUT.format as OutputFormat,
        target: ESBUILD_TARGET,
        minify: BUNDLE_OUTPUT.minify,
        sourceMap: true,
        sourceMapMode: BUNDLE_OUTPUT.sourceMap as SourceMapMode,
        mainFields: MAIN_FIELDS,
        banner: ESM_REQUIRE_BANNER,
        bundleAwsSDK: true,
        externalModules: [...BUNDLE_EXTERNALS],
        define: configDefine(props.config),
        esbuildArgs: Object.fromEntries(Object.entries(BUNDLE_ALIASES).map(([name, replacement]) => [`--alias:${name}`, replacement])),
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          // Files the handler reads or imports beside its bundle (the classifier's model, tinyld).
          afterBundling: (inputDir, outputDir) => copyFileCommands(props.spec.files ?? [], inputDir, outputDir),
        },
      },
    });
  }
}
