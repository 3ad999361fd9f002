/**
 * The environment of a deployed function when Lambda loads its handler, so module-level code
 * (env parsing, client construction, the Powertools logger) takes the path it takes in AWS.
 * Built from nothing rather than from process.env: the parent runs under tsx, whose loader in
 * NODE_OPTIONS would be timed too, and a developer's AWS_PROFILE or AWS_ENDPOINT_URL would send
 * the SDK down another path. Credentials are placeholders; nothing is called during an import.
 */
export const lambdaEnvironment: Readonly<Record<string, string>> = {
  // Set by Lambda for every Node function.
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIABENCHPLACEHOLDER',
  AWS_SECRET_ACCESS_KEY: 'bench-placeholder-secret',
  AWS_SESSION_TOKEN: 'bench-placeholder-token',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
  AWS_LAMBDA_FUNCTION_NAME: 'bench',
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
  // RedressFunction deploys with JSON logs at INFO, which the Powertools logger reads at start.
  AWS_LAMBDA_LOG_FORMAT: 'JSON',
  AWS_LAMBDA_LOG_LEVEL: 'INFO',
  TZ: ':UTC',
  // No ~/.aws in Lambda. SDK clients start reading ~/.aws/config and ~/.aws/credentials when
  // constructed (defaults-mode resolution), and a developer's files would change what they find.
  HOME: '/nonexistent',
  // Set by our stack.
  TABLE_NAME: 'bench',
  EVENT_BUS_NAME: 'redress',
  WEBHOOK_SECRETS_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:bench',
  POWERTOOLS_SERVICE_NAME: 'bench',
  // The SDK warns on Node 20 at client construction; the warning is not what we measure.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};
