import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';

/**
 * One structured logger per function, created once per cold start. The service name comes from
 * POWERTOOLS_SERVICE_NAME, set per function by CDK and by the local runtime.
 */
export const logger = new Logger();

/** Adds the Lambda context (request id, cold start) to every log line of an invocation. */
export const observability = () => injectLambdaContext(logger, { resetKeys: true });
