import type { Priority } from '#contracts/classification';
import type { RedressConfig } from '#contracts/config';
import type { SlaClockName } from '#contracts/sla';
import { businessCalendar, type BusinessCalendar } from './business-calendar.ts';

/** What governs a ticket's clocks: its queue's business hours and the targets for its priority. */
export interface SlaPolicy {
  /** Target per clock, in business seconds. */
  targets: Record<SlaClockName, number>;
  /** Share of a target after which the monitor warns. */
  warningThreshold: number;
  calendar: BusinessCalendar;
  /** The clocks a reopened ticket starts afresh. */
  onReopen: readonly SlaClockName[];
}

/** The policy for any queue and priority, from the config (`sla` and each queue's `sla` and `businessHours`). */
export interface SlaPolicies {
  policyFor(queue: string, priority: Priority): SlaPolicy;
}

/**
 * Builds every queue's calendar once (a cold start's work), then answers per ticket. A queue the
 * config does not know (a ticket from before the queue was removed) gets the default targets
 * around the clock, so its clocks still run rather than stop unseen.
 */
export function slaPolicies(config: Pick<RedressConfig, 'sla' | 'queues'>): SlaPolicies {
  const { policies, warningThreshold, onReopen } = config.sla;
  const byQueue = new Map(config.queues.map((queue) => [queue.name, { calendar: businessCalendar(queue.businessHours), overrides: queue.sla }]));
  const cache = new Map<string, SlaPolicy>();
  return {
    policyFor(queue, priority) {
      const key = `${queue}\u0000${priority}`;
      const cached = cache.get(key);
      if (cached) return cached;
      const known = byQueue.get(queue);
      const targets = { ...policies[priority], ...known?.overrides?.[priority] };
      const policy: SlaPolicy = {
        targets: { first_response: targets.firstResponse, next_response: targets.nextResponse, resolution: targets.resolution },
        warningThreshold,
        calendar: known?.calendar ?? businessCalendar(undefined),
        onReopen,
      };
      cache.set(key, policy);
      return policy;
    },
  };
}
