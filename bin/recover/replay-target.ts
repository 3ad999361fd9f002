// Where `npx redress replay` sends StartReplay, and the ARNs it names. No AWS SDK here, so the
// CLI checks its options without loading the client.

/** The account the local stack reports (infra/local/start.ts). */
export const LOCAL_ACCOUNT = '000000000000';

/** Where a replay goes: the local bus at `url`, or a deployed stack through the SDK's defaults. */
export interface ReplayTarget {
  /** The local event bus; undefined means AWS itself, with the default endpoint and credentials. */
  url?: string;
  region: string;
  archiveArn: string;
  busArn: string;
}

const BUS_ARN = /^arn:(aws[a-z-]*):events:([a-z0-9-]+):(\d{12}):event-bus\/([.\-_A-Za-z0-9/]{1,256})$/;
const ARCHIVE_ARN = /^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:archive\/[.\-_A-Za-z0-9]{1,48}$/;
const RULE_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;

export function parseBusArn(arn: string): { partition: string; region: string; account: string; busName: string } | undefined {
  const match = BUS_ARN.exec(arn);
  return match ? { partition: match[1]!, region: match[2]!, account: match[3]!, busName: match[4]! } : undefined;
}

export const isArchiveArn = (arn: string) => ARCHIVE_ARN.test(arn);

/** The local bus's ARNs; the local archive answers to any archive name in its account and Region. */
export function localReplayTarget(url: string, region: string, busName: string): ReplayTarget {
  return {
    url,
    region,
    busArn: `arn:aws:events:${region}:${LOCAL_ACCOUNT}:event-bus/${busName}`,
    archiveArn: `arn:aws:events:${region}:${LOCAL_ACCOUNT}:archive/${busName}-archive`,
  };
}

/**
 * A rule's ARN from its name, as EventBridge writes it (and LocalEventBus.ruleArn): rules on a
 * custom bus carry the bus name, rules on the default bus do not. An ARN is taken as given.
 */
export function ruleArnFor(rule: string, busArn: string): string | undefined {
  if (rule.startsWith('arn:')) return rule;
  const bus = parseBusArn(busArn);
  if (!bus || !RULE_NAME.test(rule)) return undefined;
  const prefix = `arn:${bus.partition}:events:${bus.region}:${bus.account}:rule/`;
  return bus.busName === 'default' ? `${prefix}${rule}` : `${prefix}${bus.busName}/${rule}`;
}
