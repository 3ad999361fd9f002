import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '#config/defaults';
import { loadConfig } from '#config/load-config';
import { runtimeConfig, runtimeConfigJson } from '#config/runtime-config';
import { configDefine } from '#infra/bundling';

describe('the configuration inside a function', () => {
  const saved = process.env.REDRESS_CONFIG_JSON;
  afterEach(() => {
    if (saved === undefined) delete process.env.REDRESS_CONFIG_JSON;
    else process.env.REDRESS_CONFIG_JSON = saved;
  });

  it('reads back exactly the configuration validated at synth or start, durations already in seconds', () => {
    const { config } = loadConfig({});
    process.env.REDRESS_CONFIG_JSON = runtimeConfigJson(config);
    expect(runtimeConfig()).toEqual(config);
    expect(runtimeConfig().sla.policies.P1.firstResponse).toBe(15 * 60);
  });

  it('is what CDK bakes into each bundle', () => {
    const { config } = loadConfig({});
    const define = configDefine(config)['process.env.REDRESS_CONFIG_JSON'];
    expect(JSON.parse(define!)).toBe(runtimeConfigJson(config));
  });

  it('refuses configuration that was never validated, rather than trusting it', () => {
    process.env.REDRESS_CONFIG_JSON = JSON.stringify(defaultConfig);
    expect(() => runtimeConfig()).toThrow(/not validated configuration/);
  });

  it('says where the configuration should have come from when there is none', () => {
    delete process.env.REDRESS_CONFIG_JSON;
    expect(() => runtimeConfig()).toThrow(/REDRESS_CONFIG_JSON is missing/);
  });
});
