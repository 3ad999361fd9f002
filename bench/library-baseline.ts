import { ownerOf } from './composition.ts';
import type { Bundle } from './bundles.ts';
import { reachableFrom, type SdkBaseline } from './sdk-clients.ts';

/**
 * The libraries our handlers are required to use besides the SDK (../shared/DESIGN.md: Powertools
 * logger and metrics, Middy, zod at every boundary), each with what a handler does with it at
 * cold start. `owner` is the package as the metafile names it.
 */
const LIBRARIES = [
  {
    owner: '@aws-lambda-powertools/logger',
    label: 'Logger',
    imports: `import { Logger } from '@aws-lambda-powertools/logger';`,
    construct: 'new Logger()',
  },
  {
    owner: '@aws-lambda-powertools/metrics',
    label: 'Metrics',
    imports: `import { Metrics } from '@aws-lambda-powertools/metrics';`,
    construct: `new Metrics({ namespace: 'bench' })`,
  },
  {
    owner: '@middy/core',
    label: 'Middy',
    imports: `import middy from '@middy/core';`,
    construct: 'middy().handler(async () => ({}))',
  },
  {
    // Through our own module, as every schema is: it loads zod/mini with its English messages.
    owner: 'zod',
    label: 'zod/mini',
    imports: `import * as z from '#contracts/zod';`,
    construct: 'z.object({ id: z.string() })',
  },
] as const;

export interface LibraryBaseline {
  /** Stable name for the output folder: the SDK baseline's key and the libraries. */
  key: string;
  label: string;
  source: string;
}

/**
 * The function's SDK-only baseline plus the required libraries the function loads when its handler
 * module is imported (a library reached only through a dynamic import is left out, as it is not
 * evaluated then): what the function would cost to import were our own code free. The difference
 * between it and the SDK-only baseline is the share of G1's ratio that the libraries take before
 * any of our code runs.
 */
export function libraryBaseline(bundle: Bundle, sdk: SdkBaseline): LibraryBaseline {
  const eager = eagerOwners(bundle);
  const used = LIBRARIES.filter((library) => eager.has(library.owner));
  return {
    key: [sdk.key || 'no-sdk', ...used.map((library) => library.label.toLowerCase().replace('/', '-'))].join('+'),
    label: [sdk.label, ...used.map((library) => library.label)].filter(Boolean).join('+'),
    source: [
      sdk.source,
      ...used.map((library) => library.imports),
      `export const libraries = [${used.map((library) => library.construct).join(', ')}];`,
      '',
    ].join('\n'),
  };
}

/** The packages the bundle's entry reaches through static imports alone. */
function eagerOwners(bundle: Bundle): Set<string> {
  const entry = bundle.metafile.outputs[bundle.output]?.entryPoint;
  if (!entry) return new Set();
  return new Set([...reachableFrom(bundle.metafile, entry, { followDynamic: false }).keys()].map(ownerOf));
}
