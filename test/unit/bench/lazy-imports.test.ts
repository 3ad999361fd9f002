import type { Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { lazyImportsOf } from '../../../bench/lazy-imports.ts';

type Kind = 'import-statement' | 'dynamic-import';

function metafileOf(imports: Record<string, Array<{ path: string; kind: Kind; external?: boolean }>>): Metafile {
  const inputs = Object.fromEntries(Object.entries(imports).map(([file, list]) => [file, { bytes: 1, imports: list.map((entry) => ({ ...entry, original: entry.path })) }]));
  return { inputs, outputs: {} } as unknown as Metafile;
}

describe('bundled import()s that reach modules the handler also imports statically', () => {
  it('names the import() and the statically imported modules it reaches, at any depth', () => {
    const metafile = metafileOf({
      'handler.ts': [
        { path: 'secrets.ts', kind: 'import-statement' },
        { path: 'sdk/client.js', kind: 'import-statement' },
      ],
      'secrets.ts': [{ path: 'powertools/parameters.js', kind: 'dynamic-import' }],
      'powertools/parameters.js': [{ path: 'sdk/secrets-client.js', kind: 'import-statement' }],
      'sdk/secrets-client.js': [{ path: 'sdk/core.js', kind: 'import-statement' }],
      'sdk/client.js': [{ path: 'sdk/core.js', kind: 'import-statement' }],
      'sdk/core.js': [],
    });
    expect(lazyImportsOf(metafile, 'handler.ts')).toEqual([{ from: 'secrets.ts', target: 'powertools/parameters.js', shared: ['sdk/core.js'] }]);
  });

  it('passes an import() whose modules nothing else imports, and one of a package left external', () => {
    const metafile = metafileOf({
      'handler.ts': [
        { path: 'sdk/client.js', kind: 'import-statement' },
        { path: 'language.ts', kind: 'import-statement' },
      ],
      'sdk/client.js': [{ path: 'bowser.mjs', kind: 'dynamic-import' }],
      'language.ts': [{ path: 'tinyld/light', kind: 'dynamic-import', external: true }],
      'bowser.mjs': [],
    });
    expect(lazyImportsOf(metafile, 'handler.ts')).toEqual([]);
  });

  it('counts the target itself when the handler also imports it statically', () => {
    const metafile = metafileOf({
      'handler.ts': [
        { path: 'a.ts', kind: 'import-statement' },
        { path: 'b.ts', kind: 'dynamic-import' },
      ],
      'a.ts': [{ path: 'b.ts', kind: 'import-statement' }],
      'b.ts': [],
    });
    expect(lazyImportsOf(metafile, 'handler.ts')).toEqual([{ from: 'handler.ts', target: 'b.ts', shared: ['b.ts'] }]);
  });
});
