/**
 * Stands in for `@smithy/core/event-streams` in function bundles (infra/bundling.ts). The SDK
 * loads it with a dynamic `import()` only for an operation that streams events (Bedrock's
 * InvokeModelWithResponseStream, Lambda's InvokeWithResponseStream, S3's SelectObjectContent);
 * the clients our functions bundle (DynamoDB, EventBridge, Secrets Manager) have none, yet
 * esbuild, which does not split bundles, puts its 15 KB into every one. A function that ever
 * needs event streams fails with this message instead of misbehaving.
 */
function missing(): never {
  throw new Error(
    'this function was bundled without @smithy/core/event-streams (infra/bundling.ts BUNDLE_ALIASES): ' +
      'remove the alias to call an operation that streams events',
  );
}

export class EventStreamSerde {
  constructor() {
    missing();
  }
}

export const eventStreamSerdeProvider = missing;
