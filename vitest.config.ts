import { defineConfig } from 'vitest/config';

// One run, four projects split by how far each reaches (see README "Layout"):
// unit (no network), integration (dynalite and DynamoDB Local), infra (synthesized template),
// e2e (the local stack over real HTTP and the real AWS SDK clients).
export default defineConfig({
  test: {
    // Lambda runs Node 22; the SDK's notice that it will need Node 22 from 2027 is known (README).
    // Handler logs are asserted through responses and events, not read; keep test output quiet.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT' },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // A minute and a half on two cores and CPU-bound: run on its own after the others (`npm test`,
          // or `npm run test:chaos`; README "Tests").
          exclude: ['test/integration/chaos/**'],
          globalSetup: ['test/support/dynamodb-global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          // G8: the whole local stack under injected DynamoDB and PutEvents faults (issue 5).
          name: 'chaos',
          include: ['test/integration/chaos/**/*.test.ts'],
          globalSetup: ['test/support/dynamodb-global-setup.ts'],
          testTimeout: 900_000,
          hookTimeout: 900_000,
        },
      },
      {
        extends: true,
        test: { name: 'infra', include: ['test/infra/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
      },
    ],
  },
});
