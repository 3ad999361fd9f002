import type { RedressConfig } from '#contracts/config';

/** Marks the text as validated configuration, so an unvalidated one is refused, not trusted. */
const FORMAT = 'redress-config/validated-v1';

/**
 * The text a function reads its configuration from: the configuration as loadConfig() validated
 * it (durations already in seconds, patterns already checked), written by CDK at synth and by
 * the local runtime at start. CDK bakes it into each bundle (esbuild `define` replaces
 * `process.env.REDRESS_CONFIG_JSON` with this text), so a deployed function needs no file and
 * no 4 KB environment entry.
 */
export function runtimeConfigJson(config: RedressConfig): string {
  return JSON.stringify({ format: FORMAT, config });
}

/**
 * The configuration inside a function. It was validated where it came in (synth, or the local
 * runtime's start), so a cold start only reads it: parsing it with the config schema again would
 * cost every cold start a few milliseconds and put the schema and the pattern validator in
 * every bundle.
 */
export function runtimeConfig(): RedressConfig {
  const json = process.env.REDRESS_CONFIG_JSON;
  if (!json) throw new Error('REDRESS_CONFIG_JSON is missing: the function was not built by CDK or started by the local runtime');
  const baked = JSON.parse(json) as { format?: unknown; config?: RedressConfig };
  if (baked.format !== FORMAT || typeof baked.config !== 'object' || baked.config === null) {
    throw new Error(`REDRESS_CONFIG_JSON is not validated configuration (${FORMAT}): write it with runtimeConfigJson(loadConfig().config)`);
  }
  return baked.config;
}
