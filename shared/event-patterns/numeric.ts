// The numeric operator (spec §2.7): `[op, n]` or `[">"|">=", lo, "<"|"<=", hi]`, over JSON numbers only,
// compared by value as IEEE-754 doubles (§1.6(2)).
import { invalid } from './invalid-pattern-error.ts';
import { isFiniteNumber } from './pattern-shape.ts';
import type { ValueTest } from './value-test.ts';

type Comparison = (value: number, bound: number) => boolean;

const COMPARISONS: ReadonlyMap<unknown, Comparison> = new Map<string, Comparison>([
  ['=', (value, bound) => value === bound],
  ['<', (value, bound) => value < bound],
  ['<=', (value, bound) => value <= bound],
  ['>', (value, bound) => value > bound],
  ['>=', (value, bound) => value >= bound],
]);

const LOWER_BOUNDS = new Set<unknown>(['>', '>=']);
const UPPER_BOUNDS = new Set<unknown>(['<', '<=']);

interface Bound {
  readonly compare: Comparison;
  readonly value: number;
}

export function readNumeric(operand: unknown): ValueTest {
  if (!Array.isArray(operand)) invalid('Value of numeric must be an array.');
  if (operand.length === 0) invalid('Empty arrays are not allowed');
  const [operator] = operand;
  const first = readBound(operand, 0);
  // A lone `=`, `<` or `<=` is complete; only a lower bound may be followed by an upper one.
  if (!LOWER_BOUNDS.has(operator) || operand.length === 2) {
    if (operand.length > 2) invalid('Too many terms in numeric range expression');
    return boundTest(first);
  }
  const upperOperator: unknown = operand[2];
  if (!UPPER_BOUNDS.has(upperOperator)) invalid(`Bad numeric range operator: ${String(upperOperator)}`);
  const second = readBound(operand, 2);
  if (operand.length > 4) invalid('Too many terms in numeric range expression');
  if (first.value >= second.value) invalid('Bottom must be less than top');
  return rangeTest(first, second);
}

function readBound(terms: readonly unknown[], at: number): Bound {
  const operator = terms[at];
  const compare = COMPARISONS.get(operator);
  if (compare === undefined) invalid(`Unrecognized numeric range operator: ${String(operator)}`);
  const value = terms[at + 1];
  // §2.7: strings such as "5" are rejected, and so are numbers a double cannot hold.
  if (!isFiniteNumber(value)) invalid(`Value of ${String(operator)} must be numeric`);
  return { compare, value };
}

function boundTest({ compare, value: bound }: Bound): ValueTest {
  return (value) => typeof value === 'number' && compare(value, bound);
}

function rangeTest(lower: Bound, upper: Bound): ValueTest {
  return (value) => typeof value === 'number' && lower.compare(value, lower.value) && upper.compare(value, upper.value);
}
