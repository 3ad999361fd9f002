import { describe, expect, it } from 'vitest';
import { buildBundle } from '../../bench/bundles.ts';
import { lazyImportsSharingModules } from '../../bench/lazy-imports.ts';
import { loadConfig } from '#config/load-config';
import { functions } from '#infra/topology';

const { config } = loadConfig({});

describe('each function bundle, built as CDK builds it', () => {
  it.each(Object.entries(functions))('%s: loads nothing through import() that the handler also imports statically', async (name, spec) => {
    const bundle = await buildBundle(name, `bundle-graph-test/${name}`, { entry: spec.entry }, config);
    // Such an import() makes esbuild wrap the shared modules in lazy initialisers (bench/lazy-imports.ts).
    const found = lazyImportsSharingModules(bundle).map(({ from, target, shared }) => `import('${target}') in ${from}: ${shared.length} shared, e.g. ${shared.slice(0, 3).join(', ')}`);
    expect(found).toEqual([]);
  });
});

describe("the bench's SDK-only baselines", () => {
  const source = { contents: `import { EventBridgeClient } from '@aws-sdk/client-eventbridge';\nexport const clients = [new EventBridgeClient({})];\n`, sourcefile: 'eventbridge-only.mjs' };
  const packages = (bundle: Awaited<ReturnType<typeof buildBundle>>) => Object.keys(bundle.metafile.inputs).join('\n');

  it('keep the SDK as it ships when G1 asks for it, and are trimmed as our functions bundle the SDK otherwise', async () => {
    const shipped = await buildBundle('shipped', 'bundle-graph-test/shipped', source, config, [], { sdkAsShipped: true });
    const trimmed = await buildBundle('trimmed', 'bundle-graph-test/trimmed', source, config);
    expect(packages(shipped)).toContain('node_modules/@aws-sdk/credential-provider-node/');
    expect(packages(trimmed)).not.toContain('node_modules/@aws-sdk/credential-provider-node/');
    expect(packages(trimmed)).toContain('shared/adapters/lambda-credentials.ts');
    expect(shipped.bytes).toBeGreaterThan(trimmed.bytes);
  });
});
