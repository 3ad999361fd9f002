import type { Metafile } from 'esbuild';
import { BundleError, type Bundle } from './bundles.ts';
import { reachableFrom } from './sdk-clients.ts';

export interface LazyImport {
  /** The file that holds the `import()`. */
  from: string;
  /** The bundled module it loads. */
  target: string;
  /** Modules the handler also imports statically, which the `import()` makes esbuild wrap. */
  shared: string[];
}

/**
 * The `import()`s of bundled modules that reach modules the handler also loads statically.
 *
 * In a single-file ESM bundle esbuild cannot load a module later, so it wraps the target of an
 * `import()`, and every module that target imports, in a lazy initialiser. A module in there that
 * the handler imports statically too is then wrapped for everyone: it is no longer tree-shaken,
 * and each of its imports becomes a call at load time. One `import()` of Powertools Parameters
 * did that to 340 SDK modules of the webhook (20 KiB more bundle, about 4 ms more import).
 * Packages left external (`tinyld/light`, `node:` built-ins) are loaded by Node and never wrapped.
 */
export function lazyImportsSharingModules(bundle: Bundle): LazyImport[] {
  const entry = bundle.metafile.outputs[bundle.output]?.entryPoint;
  if (!entry) throw new BundleError(`the metafile of ${bundle.name} names no entry point`);
  return lazyImportsOf(bundle.metafile, entry);
}

export function lazyImportsOf(metafile: Metafile, entry: string): LazyImport[] {
  const everything = [entry, ...reachableFrom(metafile, entry, { followDynamic: true }).keys()];
  const eager = new Set([entry, ...reachableFrom(metafile, entry, { followDynamic: false }).keys()]);
  const found: LazyImport[] = [];
  for (const from of everything) {
    for (const { path: target, kind, external } of metafile.inputs[from]?.imports ?? []) {
      if (kind !== 'dynamic-import' || external) continue;
      const wrapped = [target, ...reachableFrom(metafile, target, { followDynamic: true }).keys()];
      const shared = wrapped.filter((file) => eager.has(file)).sort();
      if (shared.length > 0) found.push({ from, target, shared });
    }
  }
  return found;
}
