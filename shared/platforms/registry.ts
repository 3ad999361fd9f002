import type { PlatformSecrets } from '#adapters/secrets';
import type { ParsedDelivery } from '#contracts/delivery';
import { NotFoundError } from '#domain/errors';
import { metaPlatform } from './meta/platform.ts';
import { standardWebhooksPlatform } from './standard-webhooks/platform.ts';
import type { HandshakeResponse, WebhookPlatform } from './webhook-platform.ts';
import { xPlatform } from './x/platform.ts';

type Headers = Readonly<Record<string, string | undefined>>;

/** A platform with the part of the secrets it uses picked out, so the handler treats all alike. */
export interface RegisteredPlatform {
  name: string;
  maxBodyBytes: number;
  handshake?(query: Headers, secrets: PlatformSecrets): HandshakeResponse;
  verify(headers: Headers, body: Buffer, secrets: PlatformSecrets, now: Date): void;
  parse(body: Buffer, now: Date): ParsedDelivery;
}

function register<Secrets>(platform: WebhookPlatform<Secrets>, pick: (secrets: PlatformSecrets) => Secrets): RegisteredPlatform {
  const { handshake } = platform;
  return {
    name: platform.name,
    maxBodyBytes: platform.maxBodyBytes,
    handshake: handshake && ((query, secrets) => handshake(query, pick(secrets))),
    verify: (headers, body, secrets, now) => platform.verify(headers, body, pick(secrets), now),
    parse: (body, now) => platform.parse(body, now),
  };
}

/** POST /webhooks/{platform}: adding a platform is one folder in shared/platforms and one line here. */
const platforms: Record<string, RegisteredPlatform> = Object.fromEntries(
  [
    register(standardWebhooksPlatform, (secrets) => ({ secrets: secrets.standardWebhooks })),
    register(xPlatform, (secrets) => ({ consumerSecrets: secrets.xConsumer })),
    register(metaPlatform, (secrets) => ({ appSecrets: secrets.metaApp, verifyToken: secrets.metaVerifyToken })),
  ].map((platform) => [platform.name, platform]),
);

export const platformNames = Object.keys(platforms);

export function platformFor(name: string | undefined): RegisteredPlatform {
  const platform = name !== undefined && Object.hasOwn(platforms, name) ? platforms[name] : undefined;
  if (!platform) {
    throw new NotFoundError(`no webhook for "${name}"; the webhooks are ${platformNames.map((known) => `/webhooks/${known}`).join(', ')}`);
  }
  return platform;
}
