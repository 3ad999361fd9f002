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
