import type { RedressConfig } from '#contracts/config';
import { parseConfig } from './load-config.ts';

/**
 * The configuration inside a function. CDK bakes the synth-time configuration into each bundle
 * (esbuild `define` replaces `process.env.REDRESS_CONFIG_JSON` with the JSON text), so a
 * deployed function needs no file and no 4 KB environment entry; the local runtime sets the
 * same variable before it loads the handlers.
 */
export function runtimeConfig(): RedressConfig {
  const json = process.env.REDRESS_CONFIG_JSON;
  if (!json) throw new Error('REDRESS_CONFIG_JSON is missing: the function was not built by CDK or started by the local runtime');
  return parseConfig(JSON.parse(json), 'REDRESS_CONFIG_JSON');
}
