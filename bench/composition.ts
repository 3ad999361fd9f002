import type { Bundle } from './bundles.ts';

export interface Share {
  owner: string;
  bytes: number;
}

/**
 * Who a bundled file belongs to: its npm package (the innermost node_modules wins, so a nested
 * copy counts for the package that was actually bundled), or our own top-level source folder
 * such as `shared/event-patterns`.
 */
export function ownerOf(inputPath: string): string {
  const marker = 'node_modules/';
  const at = inputPath.lastIndexOf(marker);
  if (at >= 0) {
    const [first = '', second = ''] = inputPath.slice(at + marker.length).split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }
  const segments = inputPath.split('/');
  return segments.length > 2 ? segments.slice(0, 2).join('/') : segments.slice(0, -1).join('/') || inputPath;
}

/** The bytes each owner contributes to the minified output, largest first. */
export function largestOwners(bundle: Bundle, count: number): Share[] {
  const inputs = bundle.metafile.outputs[bundle.output]?.inputs ?? {};
  const bytes = new Map<string, number>();
  for (const [file, { bytesInOutput }] of Object.entries(inputs)) {
    const owner = ownerOf(file);
    bytes.set(owner, (bytes.get(owner) ?? 0) + bytesInOutput);
  }
  return [...bytes]
    .map(([owner, total]) => ({ owner, bytes: total }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, count);
}
