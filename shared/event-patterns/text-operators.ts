// The prefix, suffix and equals-ignore-case operators (spec §2.2, §2.3, §2.4).
import { endsWithIgnoringCase, equalsIgnoringCase, startsWithIgnoringCase } from './ignore-case.ts';
import { invalid } from './invalid-pattern-error.ts';
import { isPatternObject, readSoleEntry } from './pattern-shape.ts';
import { onlyStrings, type StringTest, type ValueTest } from './value-test.ts';

type Affix = 'prefix' | 'suffix';

export function readPrefix(operand: unknown): ValueTest {
  return onlyStrings(readAffix('prefix', operand));
}

export function readSuffix(operand: unknown): ValueTest {
  return onlyStrings(readAffix('suffix', operand));
}

export function readEqualsIgnoreCase(operand: unknown): ValueTest {
  return onlyStrings(equalsIgnoringCase(readIgnoreCaseOperand(operand)));
}

// §2.2: `""` is a valid prefix here (it matches every string); only anything-but forbids it.
function readAffix(affix: Affix, operand: unknown): StringTest {
  if (typeof operand === 'string') return affixTest(affix, operand);
  if (!isPatternObject(operand)) invalid(`${affix} match pattern must be a string`);
  return readSoleEntry(operand, (key, inner) => {
    if (key !== 'equals-ignore-case') invalid(`Unsupported ${affix} pattern: ${key}`);
    return affixIgnoringCaseTest(affix, readIgnoreCaseOperand(inner));
  });
}

function readIgnoreCaseOperand(operand: unknown): string {
  if (typeof operand !== 'string') invalid('equals-ignore-case match pattern must be a string');
  return operand;
}

export function affixTest(affix: Affix, text: string): StringTest {
  return affix === 'prefix' ? (value) => value.startsWith(text) : (value) => value.endsWith(text);
}

function affixIgnoringCaseTest(affix: Affix, text: string): StringTest {
  return affix === 'prefix' ? startsWithIgnoringCase(text) : endsWithIgnoringCase(text);
}
