// Matches events against EventBridge event patterns (spec §1, §2).
import { collectLeafValues, type FieldPath, fieldPath, type LeafValues } from './event-values.ts';
import { ruleMatches, type RuleField } from './match-rule.ts';
import { readPattern } from './read-pattern.ts';
import type { EventPattern } from './validate.ts';

export type EventMatcher = (event: unknown) => boolean;

/**
 * Prepares a pattern once so each match only walks the event paths the pattern names.
 * Throws InvalidEventPatternError for an invalid pattern (the size cap is left to
 * parseEventPattern, since it applies to the pattern's text).
 */
export function compileEventPattern(pattern: EventPattern): EventMatcher {
  const paths = new Map<string, FieldPath>();
  const prepare = (path: string): FieldPath => {
    let prepared = paths.get(path);
    if (prepared === undefined) {
      prepared = fieldPath(path, paths.size);
      paths.set(path, prepared);
    }
    return prepared;
  };
  const rules: RuleField[][] = readPattern(pattern).map((rule) =>
    rule.map(({ path, leaf }) => ({ path: prepare(path), leaf })));

  return (event) => {
    // $or alternatives often name the same paths, so each path is walked at most once per event.
    const collected: (LeafValues | undefined)[] = [];
    const valuesAt = (path: FieldPath): LeafValues => (collected[path.id] ??= collectLeafValues(event, path));
    return rules.some((rule) => ruleMatches(rule, valuesAt));
  };
}

// Patterns are treated as immutable once matched: the compiled form is kept per pattern object.
const compiledPatterns = new WeakMap<EventPattern, EventMatcher>();

export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  let matcher = compiledPatterns.get(pattern);
  if (matcher === undefined) {
    matcher = compileEventPattern(pattern);
    compiledPatterns.set(pattern, matcher);
  }
  return matcher(event);
}
