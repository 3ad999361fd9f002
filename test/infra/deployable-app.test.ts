import { Validations } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from '#contracts/zod';
import { acknowledgedNagFindings, packsThatReported, readValidationReport, unacknowledgedNagFindings, type ValidationReport } from './nag-report.ts';
import { BUNDLE_EXTERNALS } from '#infra/bundling';
import { functions } from '#infra/topology';
import { cdkJsonContext, functionNames, ROOT, type Json } from './synth.ts';

/**
 * infra/app.ts itself, run the way `cdk synth` runs it (CDK_OUTDIR, and cdk.json's context in
 * CDK_CONTEXT_JSON), once: the only test that bundles the functions with esbuild, and the one that
 * proves the app wires the cdk-nag packs. Calling the app directly skips the CLI's start-up;
 * `npm test` runs `cdk synth` itself at the end.
 */

const outdir = mkdtempSync(path.join(tmpdir(), 'redress-infra-app-'));
let run: { exitCode: number; output: string };

beforeAll(async () => {
  const { REDRESS_CONFIG: _ignored, ...env } = process.env;
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
      cwd: ROOT,
      timeout: 100_000,
      maxBuffer: 16 * 1024 * 1024,
      env: {
        ...env,
        CDK_OUTDIR: outdir,
        // The CLI turns on asset metadata by default: it names each function's bundle directory.
        CDK_CONTEXT_JSON: JSON.stringify({ ...cdkJsonContext, 'aws:cdk:enable-asset-metadata': true }),
      },
    });
    run = { exitCode: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    run = { exitCode: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
});

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

// Read after the run, in the tests, so a failed synth shows its output rather than a missing file.
const report = (): ValidationReport => readValidationReport(outdir);
const stackArtifact = () => new cxapi.CloudAssembly(outdir).getStackArtifact('Redress');

/** Every `Validations.of(scope).acknowledge()` the app made, read back from the assembly's metadata. */
const acknowledgements = () =>
  stackArtifact()
    .findMetadataByType(Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((entry) => Object.entries(z.record(z.string(), z.string()).parse(entry.data)).map(([id, reason]) => ({ at: entry.path.replace(/^\//, ''), id, reason })));

describe('the deployable app (infra/app.ts)', () => {
  it('synthesizes with no cdk-nag finding left unacknowledged', () => {
    expect(run.exitCode, run.output).toBe(0);
    // CDK lists a plugin only if it found something; both packs always flag the Node.js 22 runtime (acknowledged).
    expect(packsThatReported(report()).sort()).toEqual(['AwsSolutions', 'Serverless']);
    expect(unacknowledgedNagFindings(report())).toEqual([]);
  });

  it('gives every acknowledgement a reason', () => {
    expect(acknowledgements().length).toBeGreaterThan(0);
    expect(acknowledgements().filter(({ reason }) => reason.trim() === '')).toEqual([]);
    expect(acknowledgedNagFindings(report()).length).toBeGreaterThan(0);
    expect(acknowledgedNagFindings(report()).filter(({ reason }) => reason.trim() === '')).toEqual([]);
  });

  // A stale entry makes the reviewable list claim an exception that does not exist, and would
  // silently hide the finding if it ever became real.
  it('acknowledges only findings that occur, so the list of exceptions stays true', () => {
    const used = new Set(acknowledgedNagFindings(report()).map(({ acknowledgedAt, acknowledgedId }) => `${acknowledgedAt} ${acknowledgedId}`));
    expect(acknowledgements().filter(({ at, id }) => !used.has(`${at} ${id}`))).toEqual([]);
  });

  it('ships the language detector beside the webhook bundle so that Lambda can import it from there, outside this repository', async () => {
    const webhook = Object.values((stackArtifact().template as { Resources: Record<string, Json> }).Resources).find(
      (resource) => resource.Type === 'AWS::Lambda::Function' && resource.Properties?.Description === functions.webhook.description,
    );
    const bundleDirectory = path.join(outdir, webhook?.Metadata?.['aws:asset:path'] as string);
    expect(bundleDirectory.startsWith(ROOT)).toBe(false);
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', "const { detectAll } = await import('tinyld/light'); console.log(detectAll('Mi vuelo está retrasado y nadie nos dice nada')[0].lang);"], { cwd: bundleDirectory });
    expect(stdout.trim()).toBe('es');
  });

  it('bundles each function into one minified ESM index.mjs, with its source map and the data files it reads beside it', () => {
    const lambdas = Object.values((stackArtifact().template as { Resources: Record<string, Json> }).Resources).filter(
      (resource) => resource.Type === 'AWS::Lambda::Function',
    );
    expect(lambdas).toHaveLength(functionNames.length);
    for (const lambda of lambdas) {
      const assetPath = lambda.Metadata?.['aws:asset:path'] as string;
      const bundleDirectory = path.join(outdir, assetPath);
      const spec = Object.values(functions).find((candidate) => candidate.description === lambda.Properties?.Description);
      const topLevel = new Set((spec?.files ?? []).map(({ to }) => to.split('/')[0]!));
      expect(readdirSync(bundleDirectory).sort(), assetPath).toEqual(['index.mjs', 'index.mjs.map', ...topLevel].sort());
      for (const { from, to } of spec?.files ?? []) {
        // What the function reads is the file in the repository (the trained model, tinyld), byte for byte.
        expect(readFileSync(path.join(bundleDirectory, to)).equals(readFileSync(path.join(ROOT, from))), to).toBe(true);
      }
      const bundle = readFileSync(path.join(bundleDirectory, 'index.mjs'), 'utf8');
      // Report what matched, never the 400 KB bundle.
      const excerpt = (pattern: RegExp) => bundle.match(pattern)?.[0];
      // A package left out of the bundle is imported by name only if it is shipped beside it.
      for (const name of BUNDLE_EXTERNALS) {
        if (excerpt(new RegExp(`import\\(\\s*["']${name}[/"']`))) expect(readdirSync(path.join(bundleDirectory, 'node_modules')), assetPath).toContain(name);
      }

      // ESM: the handler is an ES export (Lambda loads .mjs as a module), not a CommonJS one.
      expect(excerpt(/export\s*\{[^}]*\bas handler\b[^}]*\}/), assetPath).toBeDefined();
      expect(excerpt(/\bmodule\.exports\s*=/), assetPath).toBeUndefined();
      // Minified: long lines, and none of the `// path/to/module.ts` banners an unminified bundle has.
      expect(bundle.length / bundle.split('\n').length, assetPath).toBeGreaterThan(1000);
      expect(excerpt(/^\/\/ (functions|shared)\/.*$/m), assetPath).toBeUndefined();
      // The map is a file of its own: an inline one costs tens of milliseconds of every cold start.
      expect(excerpt(/sourceMappingURL=data:.{0,40}/), assetPath).toBeUndefined();
      expect(JSON.parse(readFileSync(path.join(bundleDirectory, 'index.mjs.map'), 'utf8'))).toMatchObject({ version: 3 });
      // The AWS SDK is inside the bundle, not imported from the runtime's disk (error texts that
      // tell a user to `require("@aws-sdk/...")` an optional package do not count).
      expect(excerpt(/(\bfrom|\bimport\(|__require\()\s*["']@aws-sdk\/[^"']*/), assetPath).toBeUndefined();
      // The SDK's event-stream codec gives way to the stand-in that names it (infra/bundling.ts).
      expect(excerpt(/Truncated event message received/), assetPath).toBeUndefined();
      if (excerpt(/\bHttpProtocol\b|loadEventStreamCapability/)) expect(excerpt(/bundled without @smithy\/core\/event-streams/), assetPath).toBeDefined();
    }
  });
});
