// Reads one pattern leaf: a non-empty array of exact values and match expressions, ORed (spec §1.1, §2).
import { readAnythingBut } from './anything-but.ts';
import { exactAddressTest, readCidr } from './cidr.ts';
import { invalid } from './invalid-pattern-error.ts';
import { readNumeric } from './numeric.ts';
import { isFiniteNumber, isPatternObject, isScalar, readSoleEntry, type Scalar } from './pattern-shape.ts';
import { readEqualsIgnoreCase, readPrefix, readSuffix } from './text-operators.ts';
import { onlyStrings, type ValueTest } from './value-test.ts';
import { wildcardTest } from './wildcard.ts';

export interface LeafMatcher {
  /** Whether one present leaf value of the event satisfies the leaf. */
  readonly test: ValueTest;
  /** §2.8: the leaf lists `exists:false`, so a field with no value in reach satisfies it. */
  readonly matchesAbsence: boolean;
}

const ABSENT = 'absent';
type Expression = ValueTest | typeof ABSENT;

const anyValue: ValueTest = () => true;
const noValue: ValueTest = () => false;

const OPERATORS: ReadonlyMap<string, (operand: unknown) => Expression> = new Map([
  ['prefix', readPrefix],
  ['suffix', readSuffix],
  ['equals-ignore-case', readEqualsIgnoreCase],
  ['anything-but', readAnythingBut],
  ['numeric', readNumeric],
  ['exists', readExists],
  ['cidr', readCidr],
  ['wildcard', readWildcard],
]);

export function readLeaf(values: readonly unknown[]): LeafMatcher {
  if (values.length === 0) invalid('Empty arrays are not allowed');
  // §1.1, §1.6: a Set compares by JSON type and numbers by value, so "2" ≠ 2 and 300 = 300.0.
  const exact = new Set<Scalar>();
  const tests: ValueTest[] = [];
  let matchesAbsence = false;
  for (const value of values) {
    if (isPatternObject(value)) {
      const expression = readSoleEntry(value, readExpression);
      if (expression === ABSENT) matchesAbsence = true;
      else tests.push(expression);
    } else {
      exact.add(readExactValue(value));
      const addressTest = typeof value === 'string' ? exactAddressTest(value) : undefined;
      if (addressTest !== undefined) tests.push(addressTest);
    }
  }
  return { test: anyOf(exact, tests), matchesAbsence };
}

function readExpression(key: string, operand: unknown): Expression {
  const read = OPERATORS.get(key);
  // §1.1: keywords are case-sensitive, so `EXISTS` is unknown rather than a spelling of `exists`.
  if (read === undefined) invalid(`Unrecognized match type ${key}`);
  return read(operand);
}

function readExactValue(value: unknown): Scalar {
  if (!isScalar(value) || (typeof value === 'number' && !isFiniteNumber(value))) {
    invalid('Match value must be String, number, true, false, or null');
  }
  return value;
}

function readExists(operand: unknown): Expression {
  if (typeof operand !== 'boolean') invalid('exists match pattern must be either true or false.');
  return operand ? anyValue : ABSENT;
}

function readWildcard(operand: unknown): Expression {
  if (typeof operand !== 'string') invalid('wildcard match pattern must be a string');
  return onlyStrings(wildcardTest(operand));
}

function anyOf(exact: ReadonlySet<Scalar>, tests: readonly ValueTest[]): ValueTest {
  if (tests.length === 0) return exact.size === 0 ? noValue : (value) => exact.has(value);
  if (exact.size === 0 && tests.length === 1) return tests[0] ?? noValue;
  return (value) => exact.has(value) || tests.some((test) => test(value));
}
