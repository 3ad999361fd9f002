import * as z from '#contracts/zod';
import { ValidationError } from '#domain/errors';
import type { ParsedDelivery } from '#platforms/webhook-platform';
import { ACCOUNT_ACTIVITY_KEYS, accountActivityToDelivery } from './account-activity.ts';
import { activityToDelivery } from './activity-api.ts';
import { filteredStreamToDelivery } from './filtered-stream.ts';
import { emptyDelivery, ignore, parseAt } from './normalise.ts';

/**
 * One X endpoint receives three products' bodies: Account Activity (§1.5), X Activity API
 * envelopes (§1.6) and filtered-stream posts (§1.7), so a body is routed by its shape, in the
 * order of ../shared/specs/webhooks.md §6.5: Account Activity keys, then `data.event_type`, then
 * `matching_rules`, then `replay_job_status`. A well-formed object of no known shape is
 * acknowledged and ignored, so a new X event type never turns into failed deliveries.
 */
export function parseXDelivery(body: Buffer, now: Date): ParsedDelivery {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new ValidationError(`the X delivery is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(value)) {
    throw new ValidationError('the X delivery is not a JSON object', [{ path: '(root)', message: `expected an object, received ${describe(value)}` }]);
  }

  if (ACCOUNT_ACTIVITY_KEYS.some((key) => Object.hasOwn(value, key))) return accountActivityToDelivery(value, now);
  if (isObject(value['data']) && Object.hasOwn(value['data'], 'event_type')) return activityToDelivery(value, now);
  if (Object.hasOwn(value, 'matching_rules')) return filteredStreamToDelivery(value, now);
  if (Object.hasOwn(value, 'replay_job_status')) return replayJobStatus(value);
  const keys = Object.keys(value);
  const named = keys.slice(0, 5).map((key) => JSON.stringify(key.slice(0, 40)));
  return { ...emptyDelivery(), ignored: [ignore(`an X delivery of no known shape (keys: ${named.join(', ') || 'none'}${keys.length > 5 ? ', …' : ''})`)] };
}

/** The end of a replay X was asked for: no `for_user_id`, nothing to hand on (§1.4). */
const ReplayJobStatus = z.looseObject({
  replay_job_status: z.looseObject({ job_state: z.nullish(z.string().check(z.maxLength(64))) }),
});

function replayJobStatus(body: unknown): ParsedDelivery {
  const { replay_job_status: status } = parseAt(ReplayJobStatus, body, []);
  return { ...emptyDelivery(), ignored: [ignore(`replay_job_status: a replay job ended (${status.job_state ?? 'state not given'})`)] };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
