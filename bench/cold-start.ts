import type { RedressConfig } from '#contracts/config';
import { functions } from '#infra/topology';
import { buildBundle, type Bundle } from './bundles.ts';
import { largestOwners, type Share } from './composition.ts';
import { lazyImportsSharingModules } from './lazy-imports.ts';
import { guardImport, timeImports, type ImportFindings, type ImportSubject, type ImportTimes } from './import-time.ts';
import { lambdaEnvironment } from './lambda-env.ts';
import { libraryBaseline, type LibraryBaseline } from './library-baseline.ts';
import type { Cell, Section } from './report.ts';
import { sdkBaseline, sdkClientsIn, type SdkBaseline, type SdkClientUse } from './sdk-clients.ts';

const TOP_PACKAGES = 5;
/** What a handler module costs with nothing in it: node's own ESM loading, the floor. */
const EMPTY_MODULE = 'export const handler = async () => ({});\n';

interface Measured {
  bundle: Bundle;
  largest: Share[];
  findings: ImportFindings;
  /** Absent when the import reached for the network and was not timed. */
  times?: ImportTimes;
}

interface FunctionRow extends Measured {
  entry: string;
  clients: SdkClientUse[];
  baseline: SdkBaseline;
  libraries: LibraryBaseline;
}

interface BaselineRow extends Measured {
  baseline: SdkBaseline;
  /** The same clients with the SDK as it ships (no BUNDLE_ALIASES): what G1 is measured against. */
  asShipped: Measured;
}

interface LibraryRow extends Measured {
  libraries: LibraryBaseline;
  /** The SDK-only baseline it adds the libraries to. */
  sdkKey: string;
}

export interface ColdStartOptions {
  runs: number;
  config: RedressConfig;
  /** `transient`: a counter that the next message may overwrite. */
  progress: (message: string, transient?: boolean) => void;
}

/** G1's bound on a function's import time over its SDK-only baseline. */
const G1_RATIO = 1.25;

/**
 * Goals G1 and G2 (../shared/research/perf-reliability.md §6): each function's minified bundle
 * and what fills it, and its import time against a bundle of only the SDK clients it uses, timed
 * in the same run (§1.3: only ratios within a run compare). That baseline is built twice: with the
 * SDK as it ships, as §1.3 built the bundles G1 was set against ("EventBridge client only, 306
 * KB"), which gives the G1 ratio; and trimmed as our functions bundle the SDK (BUNDLE_ALIASES),
 * which leaves in a function's ratio only what is not SDK.
 */
export async function coldStartSection({ runs, config, progress }: ColdStartOptions): Promise<Section> {
  progress(`bundling ${Object.keys(functions).length} functions`);
  const functionBundles = await Promise.all(
    Object.entries(functions).map(async ([name, spec]) => {
      const bundle = await buildBundle(name, name, { entry: spec.entry }, config, spec.files);
      const clients = sdkClientsIn(bundle);
      const baseline = sdkBaseline(clients);
      return { name, entry: spec.entry, bundle, clients, baseline, libraries: libraryBaseline(bundle, baseline) };
    }),
  );
  const baselines = new Map(functionBundles.filter(({ clients }) => clients.length).map(({ baseline }) => [baseline.key, baseline]));
  progress(`bundling ${baselines.size} SDK-only baselines and the empty module`);
  const [empty, ...baselineBundles] = await Promise.all([
    buildBundle('empty module', 'empty-module', { contents: EMPTY_MODULE, sourcefile: 'empty-module.mjs' }, config),
    ...[...baselines.values()].map((baseline) =>
      buildBundle(`baseline ${baseline.label}`, `baseline/${baseline.key}`, { contents: baseline.source, sourcefile: `baseline/${baseline.key}.mjs` }, config),
    ),
  ]);
  if (!empty) throw new Error('the empty module was not built');
  const shippedBundles = await Promise.all(
    [...baselines.values()].map((baseline) =>
      buildBundle(
        `baseline ${baseline.label} (SDK as shipped)`,
        `baseline-as-shipped/${baseline.key}`,
        { contents: baseline.source, sourcefile: `baseline/${baseline.key}.mjs` },
        config,
        [],
        { sdkAsShipped: true },
      ),
    ),
  );
  const libraryBaselines = new Map(functionBundles.map(({ baseline, libraries }) => [libraries.key, { libraries, sdkKey: baseline.key }]));
  progress(`bundling ${libraryBaselines.size} baselines of the SDK clients and the required libraries`);
  const libraryBundles = await Promise.all(
    [...libraryBaselines.values()].map(({ libraries }) =>
      buildBundle(`baseline ${libraries.label}`, `baseline/${libraries.key}`, { contents: libraries.source, sourcefile: `baseline/${libraries.key}.mjs` }, config),
    ),
  );

  const bundles = [...functionBundles.map(({ bundle }) => bundle), ...baselineBundles, ...shippedBundles, ...libraryBundles, empty];
  progress(`importing each bundle once with the network refused`);
  const findings = new Map<Bundle, ImportFindings>();
  for (const bundle of bundles) findings.set(bundle, await guardImport(subjectOf(bundle), lambdaEnvironment));

  const timed = bundles.filter((bundle) => findings.get(bundle)?.networkAttempts.length === 0);
  progress(`timing ${timed.length} bundles × ${runs} fresh node processes`);
  const times = await timeImports(timed.map(subjectOf), runs, lambdaEnvironment, (round) => progress(`round ${round + 1}/${runs}`, true));

  const measure = (bundle: Bundle): Measured => ({
    bundle,
    largest: largestOwners(bundle, TOP_PACKAGES),
    findings: findings.get(bundle) ?? { networkAttempts: [], activeResources: [], output: '' },
    times: times.get(bundle.file),
  });
  const rows: FunctionRow[] = functionBundles.map(({ entry, clients, baseline, libraries, bundle }) => ({ ...measure(bundle), entry, clients, baseline, libraries }));
  const baselineRows = new Map(
    [...baselines.values()].map((baseline, index) => [baseline.key, { ...measure(baselineBundles[index] ?? empty), baseline, asShipped: measure(shippedBundles[index] ?? empty) }]),
  );
  const libraryRows = new Map([...libraryBaselines.values()].map((entry, index) => [entry.libraries.key, { ...measure(libraryBundles[index] ?? empty), ...entry }]));
  const floor = measure(empty);
  return assemble(rows, baselineRows, libraryRows, floor);
}

function subjectOf(bundle: Bundle): ImportSubject {
  return { id: bundle.file, file: bundle.file };
}

function assemble(rows: FunctionRow[], baselines: Map<string, BaselineRow>, libraries: Map<string, LibraryRow>, floor: Measured): Section {
  // A function without SDK clients is compared with the empty module.
  const sdkTimes = (key: string) => (baselines.get(key) ?? floor).times;
  const shippedTimes = (key: string) => (baselines.get(key)?.asShipped ?? floor).times;
  const against = (times: ImportTimes | undefined, base: ImportTimes | undefined) =>
    times && base ? { ratio: times.medianMs / base.medianMs, deltaMs: times.medianMs - base.medianMs, baselineMs: base.medianMs } : undefined;
  const comparison = (row: FunctionRow) => against(row.times, sdkTimes(row.baseline.key));
  /** G1: against the SDK-only baseline with the SDK as it ships. */
  const g1 = (row: FunctionRow) => {
    const found = against(row.times, shippedTimes(row.baseline.key));
    return found && { ...found, met: found.ratio <= G1_RATIO };
  };
  /** Of a function's time over its SDK-only baseline, what the required libraries take and what is left for our code. */
  const split = (row: FunctionRow) => {
    const sdk = sdkTimes(row.baseline.key);
    const withLibraries = libraries.get(row.libraries.key)?.times;
    if (!row.times || !sdk || !withLibraries) return undefined;
    return {
      librariesMs: withLibraries.medianMs - sdk.medianMs,
      librariesRatio: withLibraries.medianMs / sdk.medianMs,
      ownCodeMs: row.times.medianMs - withLibraries.medianMs,
    };
  };
  type Comparison = { ratio?: number; deltaMs?: number; baselineMs?: number };
  const tableRow = (name: string, measured: Measured, against?: Comparison & { label: string }, goal?: Comparison & { met?: boolean }): Cell[] => [
    name,
    kb(measured.bundle.bytes),
    measured.largest.map((share) => `${share.owner} ${kb(share.bytes)}`),
    measured.times ? ms(measured.times.medianMs) : 'not timed',
    measured.times ? ms(measured.times.p90Ms) : '',
    against?.label ?? '',
    goal?.baselineMs === undefined ? '' : ms(goal.baselineMs),
    goal?.ratio === undefined ? '' : goal.ratio.toFixed(2),
    goal?.met === undefined ? '' : goal.met ? 'yes' : 'NO',
    against?.baselineMs === undefined ? '' : ms(against.baselineMs),
    against?.ratio === undefined ? '' : against.ratio.toFixed(2),
    against?.deltaMs === undefined ? '' : `${against.deltaMs >= 0 ? '+' : ''}${against.deltaMs.toFixed(1)}`,
  ];
  return {
    id: 'cold-start',
    title: 'Cold start: minified bundle (as CDK builds it) and import time in a fresh node',
    columns: [
      { header: 'bundle', align: 'left' },
      { header: 'KB', align: 'right' },
      { header: `top ${TOP_PACKAGES} packages (KB in output)`, align: 'left' },
      { header: 'import ms', align: 'right' },
      { header: 'p90', align: 'right' },
      { header: 'SDK-only baseline', align: 'left' },
      { header: 'as shipped ms', align: 'right' },
      { header: 'G1 ratio', align: 'right' },
      { header: `<=${G1_RATIO}`, align: 'left' },
      { header: 'trimmed ms', align: 'right' },
      { header: 'ratio', align: 'right' },
      { header: '+ms', align: 'right' },
    ],
    rows: [
      ...rows.map((row) => tableRow(row.bundle.name, row, { label: row.baseline.label || 'empty module', ...comparison(row) }, g1(row))),
      ...[...baselines.values()].flatMap((measured) => [tableRow(measured.bundle.name, measured), tableRow(measured.asShipped.bundle.name, measured.asShipped)]),
      ...[...libraries.values()].map((measured) =>
        tableRow(measured.bundle.name, measured, { label: baselines.get(measured.sdkKey)?.baseline.label || 'empty module', ...against(measured.times, sdkTimes(measured.sdkKey)) }),
      ),
      tableRow('empty module', floor),
    ],
    notes: [
      'import ms: median of the fresh processes. G1 ratio = function median / median of a bundle of only its SDK clients with the',
      `SDK as it ships (G1 wants <= ${G1_RATIO}): built with the options of perf-reliability.md §1.3, where G1's anchors come from`,
      '("EventBridge client only, 306 KB"). trimmed = the same clients as our functions bundle the SDK (infra/bundling.ts',
      'BUNDLE_ALIASES: the credential-provider chain and the event-stream codec replaced), so that ratio and +ms count only what',
      'is not SDK. KB = 1024 bytes of the .mjs (the external .map is not loaded). A baseline constructs each client once, as a',
      'handler does, lazy ones included, so a function that defers a client is measured against the cost of loading it eagerly.',
      'The baselines named "+Logger", "+Metrics", "+Middy", "+zod/mini" add to the SDK clients the libraries the function must use',
      '(../shared/DESIGN.md) and loads at import, each constructed once: the function as it would import were our own code free.',
      '',
      'Over the trimmed SDK-only baseline, the required libraries and then our own code and data take:',
      ...rows.map((row) => {
        const parts = split(row);
        return parts
          ? `  ${row.bundle.name}: libraries ${signed(parts.librariesMs)} ms (${parts.librariesRatio.toFixed(2)}× alone), our code ${signed(parts.ownCodeMs)} ms`
          : `  ${row.bundle.name}: not timed`;
      }),
      '',
      'SDK clients in each function (→ static import, ⇢ dynamic import: bundled but evaluated on first use):',
      ...rows.flatMap((row) => row.clients.map((client) => `  ${row.bundle.name}: ${client.package}${client.lazy ? ' (lazy)' : ''}  via ${client.via}`)),
      ...lazyImportNotes(rows),
      ...findingNotes([...rows, ...[...baselines.values()].flatMap((measured) => [measured, measured.asShipped]), ...libraries.values(), floor], floor),
    ],
    data: {
      functions: rows.map((row) => ({
        name: row.bundle.name,
        entry: row.entry,
        ...measuredData(row),
        sdkClients: row.clients,
        baseline: row.baseline.key,
        ...comparison(row),
        g1: g1(row),
        libraries: { baseline: row.libraries.key, ...split(row) },
      })),
      baselines: [...baselines.values()].map((measured) => ({
        key: measured.baseline.key,
        packages: measured.baseline.packages,
        ...measuredData(measured),
        asShipped: measuredData(measured.asShipped),
      })),
      libraryBaselines: [...libraries.values()].map((measured) => ({
        key: measured.libraries.key,
        sdkBaseline: measured.sdkKey,
        ...measuredData(measured),
      })),
      emptyModule: measuredData(floor),
    },
  };
}

function measuredData(measured: Measured) {
  return {
    file: measured.bundle.output,
    bytes: measured.bundle.bytes,
    largest: measured.largest,
    importMs: measured.times,
    findings: measured.findings,
    esbuildWarnings: measured.bundle.warnings,
  };
}

/** Bundled `import()`s that make esbuild wrap modules the handler also imports statically (bench/lazy-imports.ts). */
function lazyImportNotes(rows: FunctionRow[]): string[] {
  const notes = rows.flatMap((row) =>
    lazyImportsSharingModules(row.bundle).map(
      ({ from, target, shared }) => `WRAPPED: ${row.bundle.name}: import('${target}') in ${from} wraps ${shared.length} modules the handler imports statically`,
    ),
  );
  return notes.length ? ['', ...notes] : ['', 'No bundled import() wraps a module the handler also imports statically.'];
}

/** What the guarded import saw beyond what the empty module shows, and esbuild's warnings. */
function findingNotes(all: Measured[], floor: Measured): string[] {
  const notes: string[] = [];
  for (const measured of all) {
    const name = measured.bundle.name;
    const { networkAttempts, activeResources, output } = measured.findings;
    if (networkAttempts.length) notes.push(`NETWORK AT IMPORT, not timed: ${name} tried ${networkAttempts.join('; ')}`);
    const extra = without(activeResources, floor.findings.activeResources);
    if (extra.length) notes.push(`${name} leaves ${extra.join(', ')} active after its import`);
    if (output) notes.push(`${name} writes at import: ${output.split('\n').slice(0, 3).join(' | ')}`);
    for (const warning of measured.bundle.warnings) notes.push(`${name}: esbuild warning: ${warning}`);
  }
  return notes.length ? ['', ...notes] : ['', 'No bundle touched the network, wrote output or left work running at import.'];
}

function without(values: readonly string[], floor: readonly string[]): string[] {
  const remaining = [...floor];
  return values.filter((value) => {
    const at = remaining.indexOf(value);
    if (at < 0) return true;
    remaining.splice(at, 1);
    return false;
  });
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const signed = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(1)}`;
const ms = (value: number) => value.toFixed(1);
