import { parseEventPattern } from '#event-patterns/validate';
import type { SubscriberRuleSpec } from '#infra/topology';
import type { LocalRule } from './delivery.ts';
import type { BusEvent } from './envelope.ts';

/**
 * A configured subscriber's rule on the bus of `npm start` (config `subscribers`). In AWS its
 * target is the `ops` SNS topic; locally nobody is subscribed, so each matching event prints as one
 * line on the console, and the archive holds it as it holds every event.
 */
export function opsConsoleRule(rule: SubscriberRuleSpec, print: (line: string) => void): LocalRule {
  return {
    name: rule.id,
    eventPattern: parseEventPattern(rule.eventPattern),
    targetId: rule.target,
    targetArn: `local:${rule.target}`,
    // Printing does not fail; a line not printed is not worth a retry.
    retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeSeconds: 60 },
    invoke: async (event) => print(opsConsoleLine(rule, event)),
  };
}

/**
 * `[ops] safety-to-ops: Post.Classified x/1790 P1 safety "My son is having an allergic reaction…"`:
 * the rule, the detail-type, then what names the post or ticket and how urgent it is, never more
 * than 60 characters of what the customer wrote.
 */
export function opsConsoleLine(rule: SubscriberRuleSpec, event: BusEvent): string {
  const detail = (event.detail ?? {}) as Record<string, unknown>;
  const post = detail.post as { platform?: unknown; id?: unknown; text?: unknown } | undefined;
  const classification = detail.classification as { priority?: unknown; category?: unknown } | undefined;
  const parts = [
    post ? `${String(post.platform)}/${String(post.id)}` : undefined,
    typeof detail.ticketId === 'string' ? detail.ticketId : undefined,
    classification?.priority ?? detail.priority,
    detail.queue ?? undefined,
  ].filter((part) => part !== undefined && part !== null);
  const text = typeof post?.text === 'string' ? ` "${post.text.length > 60 ? `${post.text.slice(0, 59)}…` : post.text}"` : '';
  const replay = event['replay-name'] === undefined ? '' : ` [replay ${event['replay-name']}]`;
  return `[${rule.target}] ${rule.id.replace(/^subscriber-/, '')}: ${event['detail-type']} ${parts.join(' ')}${text}${replay}`;
}
