import { readFileSync } from 'node:fs';
import { RedressConfig, type RedressConfigInput } from '#contracts/config';
import * as z from '#contracts/zod';
import { defaultConfig } from './defaults.ts';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * The configuration: the defaults, overridden by the JSON file named by REDRESS_CONFIG when it is
 * set. Objects merge key by key; arrays (such as `queues`) replace the default whole, since a
 * partial queue list has no sensible merge. Read by the CDK app at synth time, the local runtime
 * at start and the CLI.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): LoadedConfig {
  const file = env.REDRESS_CONFIG;
  if (!file) return { config: parseConfig(defaultConfig, 'the default configuration'), input: defaultConfig, origin: 'defaults' };
  let override: unknown;
  try {
    override = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`REDRESS_CONFIG=${file} could not be read as JSON: ${(error as Error).message}`);
  }
  const input = mergeConfig(defaultConfig, override);
  return { config: parseConfig(input, `REDRESS_CONFIG=${file}`), input, origin: file };
}

export interface LoadedConfig {
  config: RedressConfig;
  /** The configuration as written (durations as text): what functions receive and parse again. */
  input: unknown;
  origin: string;
}

export function parseConfig(input: unknown, origin: string): RedressConfig {
  const result = RedressConfig.safeParse(input);
  if (!result.success) throw new ConfigError(`Invalid configuration in ${origin}:\n${z.prettifyError(result.error)}`);
  return result.data;
}

export function mergeConfig(base: RedressConfigInput, override: unknown): unknown {
  return mergeValue(base, override);
}

function mergeValue(base: unknown, override: unknown): unknown {
  if (override === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = mergeValue(base[key], value);
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
