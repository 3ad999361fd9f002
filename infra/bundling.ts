import path from 'node:path';
import type { RedressConfig } from '#contracts/config';
import { runtimeConfigJson } from '#config/runtime-config';

/**
 * How every function is bundled, read by the CDK function factory and by `npm run bench`, so the
 * bench measures exactly what deploys: one minified ESM file per function with the AWS SDK
 * inside it (loading the SDK from the runtime's disk costs ~300 ms of cold start, see
 * ../shared/research/perf-reliability.md §1.4), and the source map in a separate file (an inline
 * map costs 40-60 ms of import even unused).
 */
export const ESBUILD_TARGET = 'node22';

/** The shape of every bundle; redress-function.ts hands it to NodejsFunction, the bench to esbuild. */
export const BUNDLE_OUTPUT = { platform: 'node', format: 'esm', minify: true, sourceMap: 'external' } as const;

/**
 * Packages replaced in function bundles: the SDK's credential chain by the environment provider
 * Lambda needs (shared/adapters/lambda-credentials.ts explains why), and the SDK's event-stream
 * support, which no client we bundle uses, by a module that says so (no-event-streams.ts).
 */
export const BUNDLE_ALIASES: Record<string, string> = {
  '@aws-sdk/credential-provider-node': path.resolve(import.meta.dirname, '../shared/adapters/lambda-credentials.ts'),
  '@smithy/core/event-streams': path.resolve(import.meta.dirname, '../shared/adapters/no-event-streams.ts'),
};

/**
 * A file copied into a function's bundle directory (RedressFunction's afterBundling hook, and the
 * bench): `from` relative to the repository root, `to` relative to index.mjs.
 */
export interface BundledFile {
  from: string;
  to: string;
}

/**
 * Packages left out of the bundles and shipped beside them as files, because they are imported
 * only now and then: tinyld (the language detector, 82 KB of n-gram tables) is needed only for
 * a post with no English words in it, so a cold start should not have to parse it. Node resolves
 * `import('tinyld/light')` from the node_modules folder beside index.mjs.
 */
export const BUNDLE_EXTERNALS = ['tinyld'];

/** The files `import('tinyld/light')` needs at run time, and its licence. */
export const LANGUAGE_DETECTOR_FILES: readonly BundledFile[] = ['package.json', 'license', 'dist/tinyld.light.node.mjs'].map((file) => ({
  from: `node_modules/tinyld/${file}`,
  to: `node_modules/tinyld/${file}`,
}));

/** Shell commands that copy `files` from the repository into a bundle directory. */
export function copyFileCommands(files: readonly BundledFile[], inputDir: string, outputDir: string): string[] {
  return files.flatMap(({ from, to }) => {
    const target = path.join(outputDir, to);
    return [`mkdir -p "${path.dirname(target)}"`, `cp "${path.join(inputDir, from)}" "${target}"`];
  });
}

/** ESM bundles still meet CommonJS dependencies that call require(); give them one. */
export const ESM_REQUIRE_BANNER = "import { createRequire as __redressCreateRequire } from 'node:module'; const require = __redressCreateRequire(import.meta.url);";

/** Prefer packages' ESM builds, which tree-shake. */
export const MAIN_FIELDS = ['module', 'main'];

/** Bakes the configuration validated at synth into the bundle (shared/config/runtime-config.ts). */
export function configDefine(config: RedressConfig): Record<string, string> {
  return { 'process.env.REDRESS_CONFIG_JSON': JSON.stringify(runtimeConfigJson(config)) };
}
