/**
 * The event as EventBridge delivers it to targets (spec §5). `id` equals the EventId that
 * PutEvents returned; `resources` is `[]` when none were given; replayed events carry
 * `replay-name` as one more top-level field.
 */
export interface BusEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  /** RFC3339 UTC with second precision, e.g. `2024-05-01T12:00:00Z`. */
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
  'replay-name'?: string;
}

/** §5: `time` is RFC3339 UTC with second precision, as in every documented example. */
export function formatEventTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function busArn(region: string, account: string, busName: string): string {
  return `arn:aws:events:${region}:${account}:event-bus/${busName}`;
}

export function ruleArn(region: string, account: string, busName: string, ruleName: string): string {
  // Rules on a custom bus carry the bus name in their ARN; rules on the default bus do not.
  return busName === 'default'
    ? `arn:aws:events:${region}:${account}:rule/${ruleName}`
    : `arn:aws:events:${region}:${account}:rule/${busName}/${ruleName}`;
}
