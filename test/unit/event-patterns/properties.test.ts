// Properties of the pattern engine that must hold for every input (../../../../shared/specs/eventbridge.md).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { matchesEventPattern } from '#event-patterns/match';
import { type EventPattern, InvalidEventPatternError, parseEventPattern } from '#event-patterns/validate';

const RUNS = { numRuns: 1000 };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Scalar = string | number | boolean | null;

// A small key set so generated patterns and events name the same fields often; `c.d` exercises dot joining.
const fieldName = fc.constantFrom('a', 'b', 'c', 'd', 'c.d', 'detail');
// Numbers as JSON carries them: JSON has no -0 (JSON.stringify(-0) is "0").
const finiteNumber = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => (value === 0 ? 0 : value)));
const text = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('a', 'ab', 'A', 'b', '10.0.0.1', '2001:db8::1'));
const scalar: fc.Arbitrary<Scalar> = fc.oneof(text, finiteNumber, fc.boolean(), fc.constant(null));

const { event } = fc.letrec<{ value: Json; event: Record<string, Json> }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, tie('event'), fc.array(tie('value'), { maxLength: 3 })),
  event: fc.dictionary(fieldName, tie('value'), { maxKeys: 4 }),
}));

const literalText = fc.string({ maxLength: 4 }).filter((piece) => !piece.includes('*') && !piece.includes('\\'));
const wildcard = fc.array(literalText, { minLength: 1, maxLength: 3 }).map((pieces) => pieces.join('*')).filter((value) => !value.includes('**'));
const sortedPair = fc.tuple(finiteNumber, finiteNumber).filter(([low, high]) => low < high);

const matchValue: fc.Arbitrary<unknown> = fc.oneof(
  scalar,
  text.map((prefix) => ({ prefix })),
  text.map((suffix) => ({ suffix })),
  text.map((value) => ({ prefix: { 'equals-ignore-case': value } })),
  text.map((value) => ({ 'equals-ignore-case': value })),
  fc.oneof(text, finiteNumber).map((value) => ({ 'anything-but': value })),
  fc.array(text, { minLength: 1, maxLength: 3 }).map((values) => ({ 'anything-but': values })),
  fc.array(text.filter((value) => value !== ''), { minLength: 1, maxLength: 2 }).map((prefix) => ({ 'anything-but': { prefix } })),
  wildcard.map((value) => ({ 'anything-but': { wildcard: value } })),
  fc.tuple(fc.constantFrom('=', '<', '<=', '>', '>='), finiteNumber).map((terms) => ({ numeric: terms })),
  fc.tuple(fc.constantFrom('>', '>='), fc.constantFrom('<', '<='), sortedPair).map(([lower, upper, [low, high]]) => ({
    numeric: [lower, low, upper, high],
  })),
  fc.boolean().map((exists) => ({ exists })),
  fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([address, bits]) => ({ cidr: `${address}/${bits}` })),
  fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 })).map(([address, bits]) => ({ cidr: `${address}/${bits}` })),
  wildcard.map((value) => ({ wildcard: value })),
);

const { pattern } = fc.letrec<{ node: unknown; pattern: EventPattern }>((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, fc.array(matchValue, { minLength: 1, maxLength: 3 }), tie('pattern')),
  pattern: fc.dictionary(fieldName, tie('node'), { minKeys: 1, maxKeys: 3 }),
}));

/** Leaf values of an event with the key path to each, taking the first element of every array. */
function firstElementLeaves(value: Json, keys: string[] = []): { keys: string[]; value: Scalar }[] {
  if (Array.isArray(value)) return value.length === 0 ? [] : firstElementLeaves(value[0] as Json, keys);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, child]) => firstElementLeaves(child, [...keys, key]));
  }
  return [{ keys, value }];
}

/** A pattern with one leaf per field, nesting objects along each key path. */
function nestedPattern(fields: { keys: string[]; leaf: unknown[] }[]): EventPattern {
  const root: Record<string, unknown> = {};
  for (const { keys, leaf } of fields) {
    let node = root;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[keys.at(-1) ?? ''] = leaf;
  }
  return root;
}

describe('pattern engine properties', () => {
  it('never throws while matching a valid pattern against any JSON value', () => {
    fc.assert(
      fc.property(pattern, fc.oneof(event, fc.jsonValue()), (validPattern, anyEvent) => {
        expect(typeof matchesEventPattern(validPattern, anyEvent)).toBe('boolean');
      }),
      RUNS,
    );
  });

  it('accepts every pattern built from the documented forms', () => {
    fc.assert(
      fc.property(pattern, (validPattern) => {
        expect(parseEventPattern(JSON.stringify(validPattern))).toEqual(validPattern);
      }),
      RUNS,
    );
  });

  it('either returns or throws InvalidEventPatternError for any JSON text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string()), (input) => {
        try {
          parseEventPattern(input);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidEventPatternError);
        }
      }),
      RUNS,
    );
  });

  it('either returns or throws InvalidEventPatternError for any JavaScript value', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.anything({ withBigInt: true, withDate: true, withMap: true, withNullPrototype: true })), (input) => {
        try {
          parseEventPattern(input);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidEventPatternError);
        }
      }),
      RUNS,
    );
  });

  it('always matches an event with a pattern made of its own leaf values', () => {
    fc.assert(
      fc.property(event, fc.integer({ min: 1 }), (anyEvent, choice) => {
        const leaves = firstElementLeaves(anyEvent);
        const chosen = leaves.filter((_, index) => (choice >> (index % 31)) & 1);
        fc.pre(chosen.length > 0);
        const own = nestedPattern(chosen.map(({ keys, value }) => ({ keys, leaf: [value] })));
        expect(matchesEventPattern(parseEventPattern(own), anyEvent)).toBe(true);
      }),
      RUNS,
    );
  });

  it('never matches anything-but [v] against a field that is exactly v', () => {
    fc.assert(
      fc.property(fc.oneof(text, finiteNumber), event, (excluded, rest) => {
        const pattern = parseEventPattern({ field: [{ 'anything-but': [excluded] }] });
        expect(matchesEventPattern(pattern, { ...rest, field: excluded })).toBe(false);
      }),
      RUNS,
    );
  });

  it('matches $or of two patterns exactly when either pattern matches alone', () => {
    fc.assert(
      fc.property(pattern, pattern, event, (first, second, anyEvent) => {
        const either = parseEventPattern({ $or: [first, second] });
        const alone = matchesEventPattern(first, anyEvent) || matchesEventPattern(second, anyEvent);
        expect(matchesEventPattern(either, anyEvent)).toBe(alone);
      }),
      RUNS,
    );
  });

  it('matches exactly one of exists:true and exists:false for any field', () => {
    fc.assert(
      fc.property(fc.array(fieldName, { minLength: 1, maxLength: 3 }), event, (keys, anyEvent) => {
        const present = nestedPattern([{ keys, leaf: [{ exists: true }] }]);
        const absent = nestedPattern([{ keys, leaf: [{ exists: false }] }]);
        expect(matchesEventPattern(present, anyEvent)).not.toBe(matchesEventPattern(absent, anyEvent));
      }),
      RUNS,
    );
  });
});
