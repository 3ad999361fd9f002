import { defaultConfig } from '#config/defaults';
import { mergeConfig, parseConfig } from '#config/load-config';
import { slaPolicies, type SlaPolicies } from '#domain/sla/sla-policies';

/** The default configuration's SLA policies: first response P1 15m, P2 1h, P3 4h, P4 2d, around the clock. */
export const DEFAULT_SLA: SlaPolicies = slaPolicies(parseConfig(defaultConfig, 'the default configuration'));

/** The default first-response targets in seconds, for tests that compute due times. */
export const DEFAULT_FIRST_RESPONSE = { P1: 15 * 60, P2: 60 * 60, P3: 4 * 60 * 60, P4: 2 * 24 * 60 * 60 } as const;

/** SLA policies from the default configuration with `override` merged in (as REDRESS_CONFIG would). */
export function slaWith(override: unknown): SlaPolicies {
  return slaPolicies(parseConfig(mergeConfig(defaultConfig, override), 'a test configuration'));
}
