import type { Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import type { Bundle } from '../../../bench/bundles.ts';
import { libraryBaseline } from '../../../bench/library-baseline.ts';
import type { SdkBaseline } from '../../../bench/sdk-clients.ts';

const sdk: SdkBaseline = {
  key: 'client-dynamodb',
  label: 'DynamoDB',
  packages: ['@aws-sdk/client-dynamodb'],
  source: `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const clients = [new DynamoDBClient({})];\n`,
};

/** A bundle whose handler imports the logger and middy statically, and metrics only through `import()`. */
function bundleOf(imports: Record<string, Array<{ path: string; kind: 'import-statement' | 'dynamic-import' }>>): Bundle {
  const inputs = Object.fromEntries(
    Object.entries(imports).map(([file, list]) => [file, { bytes: 1, imports: list.map((entry) => ({ ...entry, original: entry.path })) }]),
  ) as unknown as Metafile['inputs'];
  const metafile = { inputs, outputs: { 'out/index.mjs': { entryPoint: 'functions/x/handler.ts', bytes: 1, inputs: {}, imports: [], exports: [] } } } as unknown as Metafile;
  return { name: 'x', file: '/out/index.mjs', bytes: 1, metafile, output: 'out/index.mjs', warnings: [] };
}

describe('the baseline of SDK clients plus the required libraries a function loads at import', () => {
  const bundle = bundleOf({
    'functions/x/handler.ts': [
      { path: 'shared/middleware/observability.ts', kind: 'import-statement' },
      { path: 'shared/middleware/metrics.ts', kind: 'dynamic-import' },
      { path: 'node_modules/@middy/core/index.js', kind: 'import-statement' },
    ],
    'shared/middleware/observability.ts': [{ path: 'node_modules/@aws-lambda-powertools/logger/lib/esm/index.js', kind: 'import-statement' }],
    'shared/middleware/metrics.ts': [{ path: 'node_modules/@aws-lambda-powertools/metrics/lib/esm/index.js', kind: 'import-statement' }],
    'node_modules/@aws-lambda-powertools/logger/lib/esm/index.js': [],
    'node_modules/@middy/core/index.js': [],
  });

  it('adds what the handler reaches through static imports, at any depth, and leaves out what only import() reaches', () => {
    const baseline = libraryBaseline(bundle, sdk);
    expect(baseline.key).toBe('client-dynamodb+logger+middy');
    expect(baseline.label).toBe('DynamoDB+Logger+Middy');
    expect(baseline.source).toContain(sdk.source);
    expect(baseline.source).toContain(`import { Logger } from '@aws-lambda-powertools/logger';`);
    expect(baseline.source).toContain(`import middy from '@middy/core';`);
    expect(baseline.source).not.toContain('@aws-lambda-powertools/metrics');
    expect(baseline.source).toContain('export const libraries = [new Logger(), middy().handler(async () => ({}))];');
  });

  it('is the SDK baseline alone for a function that loads none of the libraries', () => {
    const baseline = libraryBaseline(bundleOf({ 'functions/x/handler.ts': [] }), sdk);
    expect(baseline).toMatchObject({ key: 'client-dynamodb', label: 'DynamoDB' });
    expect(baseline.source).toContain('export const libraries = [];');
  });
});
