import type { Scalar } from './pattern-shape.ts';

/** Decides whether one present leaf value of the event satisfies one match value of a pattern. */
export type ValueTest = (value: Scalar) => boolean;

/** A test that only makes sense for strings. */
export type StringTest = (value: string) => boolean;

// §2.2–§2.6, §2.9: the string operators never match numbers, booleans or null.
export function onlyStrings(test: StringTest): ValueTest {
  return (value) => typeof value === 'string' && test(value);
}
