import { defaultConfig } from '#config/defaults';
import { mergeConfig, parseConfig, type LoadedConfig } from '#config/load-config';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '#infra/local/start';

/** The local stack on free ports (HTTP, dynalite, the bus, the fake platform), quiet unless given a `log`. */
export function startTestStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  return startLocalStack({ port: 0, dynamoDbPort: 0, eventBridgePort: 0, fakePlatformPort: 0, log: () => undefined, ...options });
}

/** The configuration a REDRESS_CONFIG file holding `override` makes: the defaults, merged key by key. */
export function testConfig(override: unknown, origin = 'a test configuration'): LoadedConfig {
  const input = mergeConfig(defaultConfig, override);
  return { config: parseConfig(input, origin), input, origin };
}
