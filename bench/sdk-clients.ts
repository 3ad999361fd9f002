import type { Metafile } from 'esbuild';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BundleError, ROOT, type Bundle } from './bundles.ts';
import { ownerOf } from './composition.ts';

const CLIENT_PACKAGE = /^@aws-sdk\/(client-[a-z0-9-]+|lib-dynamodb)$/;

export interface SdkClientUse {
  package: string;
  /** The file esbuild resolved the package to, relative to the repository root. */
  file: string;
  /** How the entry reaches the package: our files by path, dependencies by package name. */
  via: string;
  /** Reached only through a dynamic import: bundled, but not evaluated when the handler loads. */
  lazy: boolean;
}

/**
 * The AWS SDK clients a bundle holds because our code or a non-SDK dependency imports them.
 * Clients the SDK imports for itself (the credential chain's nested STS and SSO clients) come
 * with any client, so they are part of every baseline already and are not counted.
 */
export function sdkClientsIn(bundle: Bundle): SdkClientUse[] {
  const entry = bundle.metafile.outputs[bundle.output]?.entryPoint;
  if (!entry) throw new BundleError(`the metafile of ${bundle.name} names no entry point`);
  const any = clientsReached(bundle.metafile, entry, true);
  const eager = clientsReached(bundle.metafile, entry, false);
  return [...any.clients]
    .map(([name, file]) => ({ package: name, file, via: pathTo(file, any.parents), lazy: !eager.clients.has(name) }))
    .sort((a, b) => a.package.localeCompare(b.package));
}

interface Edge {
  from: string;
  dynamic: boolean;
}

/**
 * Every file the entry reaches through the bundle's imports, with the import it was first reached
 * by; dynamic imports only with `followDynamic`, and only into files `into` lets it look inside.
 */
export function reachableFrom(
  metafile: Metafile,
  entry: string,
  { followDynamic, into = () => true }: { followDynamic: boolean; into?: (file: string) => boolean },
): Map<string, Edge> {
  const parents = new Map<string, Edge>();
  const seen = new Set([entry]);
  const queue = [entry];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    for (const { path: target, kind, external } of metafile.inputs[file]?.imports ?? []) {
      const dynamic = kind === 'dynamic-import';
      if (external || (dynamic && !followDynamic) || seen.has(target)) continue;
      seen.add(target);
      parents.set(target, { from: file, dynamic });
      if (into(target)) queue.push(target);
    }
  }
  return parents;
}

/** The SDK client packages reached; the SDK's own imports are not followed (see sdkClientsIn). */
function clientsReached(metafile: Metafile, entry: string, followDynamic: boolean) {
  const parents = reachableFrom(metafile, entry, { followDynamic, into: (file) => !ownerOf(file).startsWith('@aws-sdk/') });
  const clients = new Map<string, string>();
  for (const file of parents.keys()) {
    const owner = ownerOf(file);
    if (CLIENT_PACKAGE.test(owner)) clients.set(owner, file);
  }
  return { parents, clients };
}

function pathTo(file: string, parents: Map<string, Edge>): string {
  const files = [file];
  for (let edge = parents.get(file); edge; edge = parents.get(edge.from)) files.unshift(edge.from);
  const hops: { name: string; dynamic: boolean }[] = [];
  for (const at of files) {
    const name = at.includes('node_modules/') ? ownerOf(at) : at;
    const dynamic = parents.get(at)?.dynamic ?? false;
    const last = hops.at(-1);
    // Files of one package read as one hop; a dynamic import inside it marks the hop into it.
    if (last?.name === name) last.dynamic ||= dynamic;
    else hops.push({ name, dynamic });
  }
  return hops.map((hop, index) => (index === 0 ? hop.name : `${hop.dynamic ? ' ⇢ ' : ' → '}${hop.name}`)).join('');
}

export interface SdkBaseline {
  /** Stable name for the output folder and results.json: the packages, sorted. */
  key: string;
  label: string;
  packages: string[];
  source: string;
}

/**
 * An entry that imports exactly these clients and constructs each once, as a handler does at
 * cold start; exporting the instances keeps tree-shaking from dropping them.
 */
export function sdkBaseline(uses: readonly SdkClientUse[]): SdkBaseline {
  const packages = [...new Set(uses.map((use) => use.package))].sort();
  const imports: string[] = [];
  const constructions: string[] = [];
  const names: string[] = [];
  const wrapsDynamo = packages.includes('@aws-sdk/lib-dynamodb');
  if (wrapsDynamo) {
    // The document client is not a client of its own: it wraps a DynamoDBClient.
    imports.push(`import { DynamoDBClient } from '@aws-sdk/client-dynamodb';`, `import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';`);
    constructions.push('DynamoDBDocumentClient.from(new DynamoDBClient({}))');
    names.push('DynamoDB', 'DynamoDBDocument');
  }
  for (const use of uses) {
    if (use.package === '@aws-sdk/lib-dynamodb' || (wrapsDynamo && use.package === '@aws-sdk/client-dynamodb')) continue;
    const clientClass = clientClassOf(use);
    imports.push(`import { ${clientClass} } from '${use.package}';`);
    constructions.push(`new ${clientClass}({})`);
    names.push(clientClass.replace(/Client$/, ''));
  }
  return {
    key: packages.map((name) => name.replace('@aws-sdk/', '')).join('+'),
    label: names.sort().join('+'),
    packages,
    source: `${imports.join('\n')}\nexport const clients = [${constructions.join(', ')}];\n`,
  };
}

/** SDK v3 client packages re-export exactly one `./<Name>Client` module from their ESM index. */
function clientClassOf(use: SdkClientUse): string {
  const index = readFileSync(path.join(ROOT, use.file), 'utf8');
  const found = [...index.matchAll(/export \* from "\.\/(\w+Client)(?:\.js)?";/g)].map((match) => match[1]);
  const [clientClass] = found;
  if (found.length !== 1 || !clientClass) {
    throw new BundleError(
      `cannot build the SDK-only baseline: cannot tell which client class ${use.package} exports: expected one \`export * from "./<Name>Client"\` in ${use.file}, ` +
        `found ${found.length}; teach sdkBaseline() in bench/sdk-clients.ts how to construct it`,
    );
  }
  return clientClass;
}
