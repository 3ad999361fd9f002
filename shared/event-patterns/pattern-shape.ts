// The JSON shapes patterns and events are made of (spec §1.1, §1.2).
import { invalid } from './invalid-pattern-error.ts';

/** A JSON leaf value: the only kind of value a pattern leaf can match (§1.2). */
export type Scalar = string | number | boolean | null;

export function isScalar(value: unknown): value is Scalar {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** A pattern object must be plain JSON data; a Date or Map would serialize differently than it reads. */
export function isPatternObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * Reads a match expression that must have exactly one key (§2). The key is read before the count
 * is checked, as event-ruler does, so `{"foo":1,"prefix":"a"}` reports the unknown `foo`.
 */
export function readSoleEntry<T>(expression: Record<string, unknown>, read: (key: string, operand: unknown) => T): T {
  const keys = Object.keys(expression);
  const key = keys[0];
  if (key === undefined) invalid('Empty objects are not allowed');
  const result = read(key, expression[key]);
  if (keys.length > 1) invalid('Only one key allowed in match expression');
  return result;
}
