import type { RedressConfig } from '#contracts/config';
import { compileEventPattern } from '#event-patterns/match';
import { parseEventPattern } from '#event-patterns/validate';
import { allBusRules, functions, schedules, type FunctionName } from '#infra/topology';

/**
 * Which of the stack's functions an event is for, by the same rules the stack deploys
 * (infra/topology.ts): a hint for dead letters that do not name their function. Undefined when
 * no rule, or more than one function, takes it.
 */
export function stackConsumers(config: RedressConfig): (event: Record<string, unknown>) => string | undefined {
  const rules = allBusRules(config).map((rule) => ({ matches: compileEventPattern(parseEventPattern(rule.eventPattern)), target: rule.target }));
  return (event) => {
    const targets = new Set<FunctionName>(rules.filter((rule) => rule.matches(event)).map((rule) => rule.target));
    // What a schedule rule sends (EventBridge User Guide, "Creating a rule that runs on a schedule").
    if (event.source === 'aws.events' && event['detail-type'] === 'Scheduled Event') for (const schedule of schedules) targets.add(schedule.target);
    if (targets.size !== 1) return undefined;
    const [target] = [...targets] as [FunctionName];
    return `the stack's ${target} function, the one described "${functions[target].description}"`;
  };
}
