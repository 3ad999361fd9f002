// The anything-but operator (spec §2.5). A value is excluded only by a same-typed match, so values of
// other types, and null, always pass; a missing field never reaches this test at all.
import { equalsIgnoringCase } from './ignore-case.ts';
import { invalid } from './invalid-pattern-error.ts';
import { isFiniteNumber, isPatternObject, type Scalar, readSoleEntry } from './pattern-shape.ts';
import { affixTest } from './text-operators.ts';
import type { StringTest, ValueTest } from './value-test.ts';
import { wildcardTest } from './wildcard.ts';

const STRING_FORMS: ReadonlyMap<string, (text: string) => StringTest> = new Map([
  ['prefix', (text: string) => affixTest('prefix', nonEmptyAffix(text))],
  ['suffix', (text: string) => affixTest('suffix', nonEmptyAffix(text))],
  ['equals-ignore-case', equalsIgnoringCase],
  ['wildcard', wildcardTest],
]);

export function readAnythingBut(operand: unknown): ValueTest {
  if (typeof operand === 'string' || isFiniteNumber(operand)) return excluding(new Set([operand]));
  if (Array.isArray(operand)) return excluding(readExcludedValues(operand));
  if (isPatternObject(operand)) return readSoleEntry(operand, readStringForm);
  invalid('Value of anything-but must be an array or single string/number value.');
}

function excluding(excluded: ReadonlySet<Scalar>): ValueTest {
  return (value) => !excluded.has(value);
}

// §2.5: a list must be all strings or all numbers; null and booleans cannot be excluded.
function readExcludedValues(list: readonly unknown[]): Set<Scalar> {
  if (list.length === 0) invalid('Empty arrays are not allowed');
  for (const value of list) {
    if (typeof value !== 'string' && !isFiniteNumber(value)) {
      invalid('Inside anything-but list, only strings and numbers are allowed');
    }
    if (typeof value !== typeof list[0]) invalid('Inside anything-but list, values must be all strings or all numbers');
  }
  return new Set(list as Scalar[]);
}

function readStringForm(key: string, operand: unknown): ValueTest {
  const toTest = STRING_FORMS.get(key);
  if (toTest === undefined) invalid(`Unsupported anything-but pattern: ${key}`);
  const tests = readStrings(key, operand).map(toTest);
  return (value) => typeof value !== 'string' || !tests.some((test) => test(value));
}

function readStrings(key: string, operand: unknown): string[] {
  const texts = Array.isArray(operand) ? operand : [operand];
  if (texts.length === 0) invalid('Empty arrays are not allowed');
  if (!texts.every((text) => typeof text === 'string')) {
    invalid(`Value of ${key} inside anything-but must be a string or an array of strings`);
  }
  return texts;
}

// §2.5: excluding the empty prefix or suffix would exclude every string.
function nonEmptyAffix(text: string): string {
  if (text === '') invalid('Null prefix/suffix not allowed');
  return text;
}
