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
 * Lambda needs (shared/adapters/lambda-credentials.ts explains why).
 */
export const BUNDLE_ALIASES: Record<string, string> = {
  '@aws-sdk/credential-provider-node': path.resolve(import.meta.dirname, '../shared/adapters/lambda-credentials.ts'),
};

/** ESM bundles still meet CommonJS dependencies that call require(); give them one. */
export const ESM_REQUIRE_BANNER = "import { createRequire as __redressCreateRequire } from 'node:module'; const require = __redressCreateRequire(import.meta.url);";

/** Prefer packages' ESM builds, which tree-shake. */
export const MAIN_FIELDS = ['module', 'main'];

/** Bakes the configuration validated at synth into the bundle (shared/config/runtime-config.ts). */
export function configDefine(config: RedressConfig): Record<string, string> {
  return { 'process.env.REDRESS_CONFIG_JSON': JSON.stringify(runtimeConfigJson(config)) };
}
