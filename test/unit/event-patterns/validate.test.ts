// Pattern validation of ../../../../shared/specs/eventbridge.md §1–§3: every rejected form with its
// reason, and the accepted forms that must not be rejected.
import { describe, expect, it } from 'vitest';
import { InvalidEventPatternError, parseEventPattern } from '#event-patterns/validate';

function rejection(input: unknown): InvalidEventPatternError {
  try {
    parseEventPattern(input);
  } catch (error) {
    if (error instanceof InvalidEventPatternError) return error;
    throw new Error(`threw ${String(error)} instead of InvalidEventPatternError`);
  }
  throw new Error('the pattern was accepted');
}

interface Rejected {
  behaviour: string;
  pattern: unknown;
  reason: string;
}

function rejects(cases: Rejected[]): void {
  it.each(cases)('$behaviour', ({ pattern, reason }) => {
    expect(rejection(pattern).reason).toBe(reason);
  });
}

const leaf = (...values: unknown[]) => ({ detail: { field: values } });

describe('InvalidEventPatternError (§3)', () => {
  it('carries the reason in the service’s message format', () => {
    const error = rejection('{"a":[]}');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('InvalidEventPatternError');
    expect(error.reason).toBe('Empty arrays are not allowed');
    expect(error.message).toBe('Event pattern is not valid. Reason: Empty arrays are not allowed');
  });
});

describe('rejected structure (§1.1)', () => {
  rejects([
    { behaviour: 'rejects a JSON array as the pattern', pattern: '[]', reason: 'Filter is not an object' },
    { behaviour: 'rejects a JSON string as the pattern', pattern: '"source"', reason: 'Filter is not an object' },
    { behaviour: 'rejects JSON null as the pattern', pattern: 'null', reason: 'Filter is not an object' },
    { behaviour: 'rejects a number as the pattern', pattern: 5, reason: 'Filter is not an object' },
    { behaviour: 'rejects undefined as the pattern', pattern: undefined, reason: 'Filter is not an object' },
    { behaviour: 'rejects a Date object as the pattern', pattern: new Date(0), reason: 'Filter is not an object' },
    { behaviour: 'rejects a string field value', pattern: '{"source":"redress.ingest"}', reason: '"source" must be an object or an array' },
    { behaviour: 'rejects a number field value', pattern: { detail: { count: 5 } }, reason: '"count" must be an object or an array' },
    { behaviour: 'rejects a null field value', pattern: { detail: null }, reason: '"detail" must be an object or an array' },
    { behaviour: 'rejects an empty leaf array', pattern: '{"detail":{"state":[]}}', reason: 'Empty arrays are not allowed' },
    { behaviour: 'rejects an empty nested object', pattern: '{"detail":{}}', reason: 'Empty objects are not allowed' },
    { behaviour: 'rejects an empty pattern', pattern: '{}', reason: 'Empty objects are not allowed' },
    { behaviour: 'rejects an empty match expression', pattern: leaf({}), reason: 'Empty objects are not allowed' },
    { behaviour: 'rejects an array nested in a leaf', pattern: leaf(['x']), reason: 'Match value must be String, number, true, false, or null' },
    { behaviour: 'rejects NaN as a match value', pattern: leaf(Number.NaN), reason: 'Match value must be String, number, true, false, or null' },
    { behaviour: 'rejects a BigInt as a match value', pattern: leaf(1n), reason: 'Match value must be String, number, true, false, or null' },
    { behaviour: 'rejects undefined as a match value', pattern: leaf(undefined), reason: 'Match value must be String, number, true, false, or null' },
    { behaviour: 'rejects operator keywords in another case (observed)', pattern: leaf({ EXISTS: true }), reason: 'Unrecognized match type EXISTS' },
    { behaviour: 'rejects an unknown match type', pattern: leaf({ regex: 'a.*' }), reason: 'Unrecognized match type regex' },
    { behaviour: 'rejects a match expression with two keys', pattern: leaf({ prefix: 'a', suffix: 'b' }), reason: 'Only one key allowed in match expression' },
    { behaviour: 'reports an unknown first key before an extra key', pattern: leaf({ foo: 1, prefix: 'a' }), reason: 'Unrecognized match type foo' },
  ]);
});

describe('rejected prefix and suffix (§2.2, §2.3)', () => {
  rejects([
    { behaviour: 'rejects a number as prefix', pattern: leaf({ prefix: 5 }), reason: 'prefix match pattern must be a string' },
    { behaviour: 'rejects a list as prefix', pattern: leaf({ prefix: ['a'] }), reason: 'prefix match pattern must be a string' },
    { behaviour: 'rejects null as prefix', pattern: leaf({ prefix: null }), reason: 'prefix match pattern must be a string' },
    { behaviour: 'rejects an object prefix whose key is not equals-ignore-case', pattern: leaf({ prefix: { foo: 'a' } }), reason: 'Unsupported prefix pattern: foo' },
    { behaviour: 'rejects a non-string equals-ignore-case prefix', pattern: leaf({ prefix: { 'equals-ignore-case': 5 } }), reason: 'equals-ignore-case match pattern must be a string' },
    { behaviour: 'rejects extra keys beside an equals-ignore-case prefix', pattern: leaf({ prefix: { 'equals-ignore-case': 'a', x: 1 } }), reason: 'Only one key allowed in match expression' },
    { behaviour: 'rejects an empty object as prefix', pattern: leaf({ prefix: {} }), reason: 'Empty objects are not allowed' },
    { behaviour: 'rejects a number as suffix', pattern: leaf({ suffix: 5 }), reason: 'suffix match pattern must be a string' },
    { behaviour: 'rejects a list as suffix', pattern: leaf({ suffix: ['.png'] }), reason: 'suffix match pattern must be a string' },
    { behaviour: 'rejects an object suffix whose key is not equals-ignore-case', pattern: leaf({ suffix: { prefix: 'a' } }), reason: 'Unsupported suffix pattern: prefix' },
    { behaviour: 'rejects a non-string equals-ignore-case suffix', pattern: leaf({ suffix: { 'equals-ignore-case': ['a'] } }), reason: 'equals-ignore-case match pattern must be a string' },
  ]);
});

describe('rejected equals-ignore-case (§2.4)', () => {
  rejects([
    { behaviour: 'rejects a list operand', pattern: leaf({ 'equals-ignore-case': ['a'] }), reason: 'equals-ignore-case match pattern must be a string' },
    { behaviour: 'rejects an object operand', pattern: leaf({ 'equals-ignore-case': { prefix: 'a' } }), reason: 'equals-ignore-case match pattern must be a string' },
    { behaviour: 'rejects a number operand', pattern: leaf({ 'equals-ignore-case': 5 }), reason: 'equals-ignore-case match pattern must be a string' },
  ]);
});

describe('rejected anything-but (§2.5)', () => {
  const notSingleValue = 'Value of anything-but must be an array or single string/number value.';
  rejects([
    { behaviour: 'rejects a null operand', pattern: leaf({ 'anything-but': null }), reason: notSingleValue },
    { behaviour: 'rejects a boolean operand', pattern: leaf({ 'anything-but': true }), reason: notSingleValue },
    { behaviour: 'rejects null in the list', pattern: leaf({ 'anything-but': ['a', null] }), reason: 'Inside anything-but list, only strings and numbers are allowed' },
    { behaviour: 'rejects a boolean in the list', pattern: leaf({ 'anything-but': [false] }), reason: 'Inside anything-but list, only strings and numbers are allowed' },
    { behaviour: 'rejects an object in the list', pattern: leaf({ 'anything-but': [{ prefix: 'a' }] }), reason: 'Inside anything-but list, only strings and numbers are allowed' },
    { behaviour: 'rejects a list mixing strings and numbers', pattern: leaf({ 'anything-but': ['a', 1] }), reason: 'Inside anything-but list, values must be all strings or all numbers' },
    { behaviour: 'rejects an empty list', pattern: leaf({ 'anything-but': [] }), reason: 'Empty arrays are not allowed' },
    { behaviour: 'rejects an empty prefix', pattern: leaf({ 'anything-but': { prefix: '' } }), reason: 'Null prefix/suffix not allowed' },
    { behaviour: 'rejects an empty suffix', pattern: leaf({ 'anything-but': { suffix: '' } }), reason: 'Null prefix/suffix not allowed' },
    { behaviour: 'rejects an empty prefix inside a list', pattern: leaf({ 'anything-but': { prefix: ['a', ''] } }), reason: 'Null prefix/suffix not allowed' },
    { behaviour: 'rejects a number as prefix', pattern: leaf({ 'anything-but': { prefix: 5 } }), reason: 'Value of prefix inside anything-but must be a string or an array of strings' },
    { behaviour: 'rejects a number in a suffix list', pattern: leaf({ 'anything-but': { suffix: [1] } }), reason: 'Value of suffix inside anything-but must be a string or an array of strings' },
    { behaviour: 'rejects a number as equals-ignore-case', pattern: leaf({ 'anything-but': { 'equals-ignore-case': 5 } }), reason: 'Value of equals-ignore-case inside anything-but must be a string or an array of strings' },
    { behaviour: 'rejects null as wildcard', pattern: leaf({ 'anything-but': { wildcard: null } }), reason: 'Value of wildcard inside anything-but must be a string or an array of strings' },
    { behaviour: 'rejects an empty prefix list', pattern: leaf({ 'anything-but': { prefix: [] } }), reason: 'Empty arrays are not allowed' },
    { behaviour: 'rejects an unknown inner key', pattern: leaf({ 'anything-but': { foo: 'a' } }), reason: 'Unsupported anything-but pattern: foo' },
    { behaviour: 'rejects numeric inside anything-but', pattern: leaf({ 'anything-but': { numeric: ['>', 1] } }), reason: 'Unsupported anything-but pattern: numeric' },
    {
      behaviour: 'rejects a nested equals-ignore-case prefix inside anything-but',
      pattern: leaf({ 'anything-but': { prefix: { 'equals-ignore-case': 'a' } } }),
      reason: 'Value of prefix inside anything-but must be a string or an array of strings',
    },
    { behaviour: 'rejects extra keys inside anything-but', pattern: leaf({ 'anything-but': { prefix: 'a', suffix: 'b' } }), reason: 'Only one key allowed in match expression' },
    { behaviour: 'rejects an empty object inside anything-but', pattern: leaf({ 'anything-but': {} }), reason: 'Empty objects are not allowed' },
    { behaviour: 'rejects consecutive stars in an anything-but wildcard', pattern: leaf({ 'anything-but': { wildcard: 'a**' } }), reason: 'Consecutive wildcard characters at pos 2' },
    { behaviour: 'rejects consecutive stars in an anything-but wildcard list', pattern: leaf({ 'anything-but': { wildcard: ['*.png', 'x**'] } }), reason: 'Consecutive wildcard characters at pos 2' },
  ]);
});

describe('rejected wildcard (§2.6)', () => {
  rejects([
    { behaviour: 'rejects a non-string wildcard', pattern: leaf({ wildcard: 5 }), reason: 'wildcard match pattern must be a string' },
    { behaviour: 'rejects a list as wildcard', pattern: leaf({ wildcard: ['*'] }), reason: 'wildcard match pattern must be a string' },
    { behaviour: 'rejects consecutive stars, reporting the second', pattern: leaf({ wildcard: 'a**b' }), reason: 'Consecutive wildcard characters at pos 2' },
    { behaviour: 'rejects a leading double star', pattern: leaf({ wildcard: '**' }), reason: 'Consecutive wildcard characters at pos 1' },
    { behaviour: 'rejects an escape of an ordinary character', pattern: '{"f":[{"wildcard":"a\\\\x"}]}', reason: 'Invalid escape character at pos 1' },
    { behaviour: 'rejects a trailing lone backslash', pattern: leaf({ wildcard: 'ab\\' }), reason: 'Invalid escape character at pos 2' },
  ]);
});

describe('rejected numeric (§2.7)', () => {
  rejects([
    { behaviour: 'rejects a non-array operand', pattern: leaf({ numeric: '>' }), reason: 'Value of numeric must be an array.' },
    { behaviour: 'rejects a number operand', pattern: leaf({ numeric: 5 }), reason: 'Value of numeric must be an array.' },
    { behaviour: 'rejects an empty operand', pattern: leaf({ numeric: [] }), reason: 'Empty arrays are not allowed' },
    { behaviour: 'rejects the string "5" as a bound', pattern: leaf({ numeric: ['>', '5'] }), reason: 'Value of > must be numeric' },
    { behaviour: 'rejects a missing bound', pattern: leaf({ numeric: ['='] }), reason: 'Value of = must be numeric' },
    { behaviour: 'rejects a missing upper bound', pattern: leaf({ numeric: ['>', 1, '<'] }), reason: 'Value of < must be numeric' },
    { behaviour: 'rejects a bound that overflows a double', pattern: '{"f":[{"numeric":[">",1E309]}]}', reason: 'Value of > must be numeric' },
    { behaviour: 'rejects the operator ==', pattern: leaf({ numeric: ['==', 5] }), reason: 'Unrecognized numeric range operator: ==' },
    { behaviour: 'rejects the operator <>', pattern: leaf({ numeric: ['<>', 5] }), reason: 'Unrecognized numeric range operator: <>' },
    { behaviour: 'rejects a bound without an operator', pattern: leaf({ numeric: [5] }), reason: 'Unrecognized numeric range operator: 5' },
    { behaviour: 'rejects a second lower bound', pattern: leaf({ numeric: ['>', 1, '>', 5] }), reason: 'Bad numeric range operator: >' },
    { behaviour: 'rejects = as the second operator', pattern: leaf({ numeric: ['>=', 1, '=', 5] }), reason: 'Bad numeric range operator: =' },
    { behaviour: 'rejects the upper bound first', pattern: leaf({ numeric: ['<', 5, '>', 1] }), reason: 'Too many terms in numeric range expression' },
    { behaviour: 'rejects = followed by a range', pattern: leaf({ numeric: ['=', 5, '<', 6] }), reason: 'Too many terms in numeric range expression' },
    { behaviour: 'rejects too many terms', pattern: leaf({ numeric: ['>', 1, '<', 5, '<', 6] }), reason: 'Too many terms in numeric range expression' },
    { behaviour: 'rejects equal bottom and top', pattern: leaf({ numeric: ['>=', 5, '<=', 5] }), reason: 'Bottom must be less than top' },
    { behaviour: 'rejects bottom above top', pattern: leaf({ numeric: ['>', 6, '<', 5] }), reason: 'Bottom must be less than top' },
    { behaviour: 'rejects Infinity in a hand-built pattern', pattern: leaf({ numeric: ['<', Number.POSITIVE_INFINITY] }), reason: 'Value of < must be numeric' },
  ]);
});

describe('rejected exists (§2.8)', () => {
  rejects([
    { behaviour: 'rejects the string "true"', pattern: leaf({ exists: 'true' }), reason: 'exists match pattern must be either true or false.' },
    { behaviour: 'rejects a number', pattern: leaf({ exists: 1 }), reason: 'exists match pattern must be either true or false.' },
    { behaviour: 'rejects null', pattern: leaf({ exists: null }), reason: 'exists match pattern must be either true or false.' },
    { behaviour: 'rejects extra keys', pattern: leaf({ exists: true, x: 1 }), reason: 'Only one key allowed in match expression' },
  ]);
});

describe('rejected cidr (§2.9)', () => {
  rejects([
    { behaviour: 'rejects a CIDR without a slash', pattern: leaf({ cidr: '10.0.0.0' }), reason: "Malformed CIDR, one '/' required" },
    { behaviour: 'rejects a CIDR with two slashes', pattern: leaf({ cidr: '10.0.0.0/24/8' }), reason: "Malformed CIDR, one '/' required" },
    { behaviour: 'rejects non-numeric mask bits', pattern: leaf({ cidr: '10.0.0.0/x' }), reason: 'Malformed CIDR, mask bits must be an integer' },
    { behaviour: 'rejects fractional mask bits', pattern: leaf({ cidr: '10.0.0.0/2.5' }), reason: 'Malformed CIDR, mask bits must be an integer' },
    { behaviour: 'rejects negative mask bits', pattern: leaf({ cidr: '10.0.0.0/-1' }), reason: 'Malformed CIDR, mask bits must be an integer' },
    { behaviour: 'rejects empty mask bits', pattern: leaf({ cidr: '10.0.0.0/' }), reason: 'Malformed CIDR, mask bits must be an integer' },
    { behaviour: 'rejects an IPv4 mask over 32', pattern: leaf({ cidr: '10.0.0.0/33' }), reason: 'Malformed CIDR, mask bits must be between 0 and 32' },
    { behaviour: 'rejects an IPv6 mask over 128', pattern: leaf({ cidr: '2001:db8::/129' }), reason: 'Malformed CIDR, mask bits must be between 0 and 128' },
    { behaviour: 'rejects an octet over 255', pattern: leaf({ cidr: '10.0.0.256/24' }), reason: 'Nonstandard IP address: 10.0.0.256' },
    { behaviour: 'rejects a three-part IPv4 address', pattern: leaf({ cidr: '10.0.0/24' }), reason: 'Nonstandard IP address: 10.0.0' },
    { behaviour: 'rejects an IPv4 octet with a leading zero', pattern: leaf({ cidr: '10.0.0.01/24' }), reason: 'Nonstandard IP address: 10.0.0.01' },
    { behaviour: 'rejects a host name', pattern: leaf({ cidr: 'example.com/8' }), reason: 'Nonstandard IP address: example.com' },
    { behaviour: 'rejects an IPv6 address with two ::', pattern: leaf({ cidr: '1::2::3/64' }), reason: 'Nonstandard IP address: 1::2::3' },
    { behaviour: 'rejects an IPv6 address with nine groups', pattern: leaf({ cidr: '1:2:3:4:5:6:7:8:9/64' }), reason: 'Nonstandard IP address: 1:2:3:4:5:6:7:8:9' },
    { behaviour: 'rejects an IPv6 group of five digits', pattern: leaf({ cidr: '12345::/16' }), reason: 'Nonstandard IP address: 12345::' },
    { behaviour: 'rejects a non-string operand', pattern: leaf({ cidr: 10 }), reason: 'cidr match pattern must be a string' },
  ]);
});

describe('rejected $or (§2.10)', () => {
  const orOf = (count: number) => ({ $or: Array.from({ length: count }, (_, index) => ({ [`f${index}`]: ['x'] })) });
  rejects([
    { behaviour: 'rejects $or followed by an object', pattern: { $or: { a: ['x'] } }, reason: '$or must be followed by an array of objects' },
    { behaviour: 'rejects $or followed by a string', pattern: { $or: 'a' }, reason: '$or must be followed by an array of objects' },
    { behaviour: 'rejects $or with one object', pattern: { $or: [{ a: ['x'] }] }, reason: '$or must contain at least 2 objects' },
    { behaviour: 'rejects an empty $or', pattern: { $or: [] }, reason: '$or must contain at least 2 objects' },
    { behaviour: 'rejects a string inside $or', pattern: { $or: [{ a: ['x'] }, 'b'] }, reason: '$or must contain only objects' },
    { behaviour: 'rejects an array inside $or', pattern: { $or: [{ a: ['x'] }, ['b']] }, reason: '$or must contain only objects' },
    { behaviour: 'rejects an empty object inside $or', pattern: { $or: [{ a: ['x'] }, {}] }, reason: 'Empty objects are not allowed' },
    {
      behaviour: 'rejects numeric as a field name inside $or',
      pattern: '{"$or":[{"numeric":[">",1]},{"b":["x"]}]}',
      reason: 'numeric is Ruler reserved fieldName which cannot be used inside $or.',
    },
    {
      behaviour: 'rejects an operator keyword as a nested field name inside $or',
      pattern: { $or: [{ a: { prefix: ['x'] } }, { b: ['y'] }] },
      reason: 'prefix is Ruler reserved fieldName which cannot be used inside $or.',
    },
    {
      behaviour: 'rejects more than 1000 rule combinations',
      pattern: { ...orOf(11), detail: { ...orOf(10), inner: orOf(10) } },
      reason: '$or produces more than 1000 rule combinations',
    },
    {
      behaviour: 'counts the arguments of nested $or arrays into the combinations',
      pattern: { $or: [orOf(2), { ...orOf(501), g: ['y'] }] },
      reason: '$or produces more than 1000 rule combinations',
    },
  ]);
});

describe('rejected size and input (§3)', () => {
  const longValue = 'x'.repeat(4100);
  rejects([
    { behaviour: 'rejects pattern text longer than 4096 characters', pattern: JSON.stringify({ a: [longValue] }), reason: 'Event pattern is longer than 4096 characters' },
    { behaviour: 'rejects a pattern object whose JSON is longer than 4096 characters', pattern: { a: [longValue] }, reason: 'Event pattern is longer than 4096 characters' },
    { behaviour: 'rejects long text before reading it as JSON', pattern: `{${' '.repeat(4096)}`, reason: 'Event pattern is longer than 4096 characters' },
  ]);

  it('reports malformed JSON with the parser’s message', () => {
    const text = '{"detail":';
    let parserMessage = '';
    try {
      JSON.parse(text);
    } catch (error) {
      parserMessage = (error as Error).message;
    }
    expect(rejection(text).reason).toBe(`Malformed JSON: ${parserMessage}`);
  });

  it('rejects an object nested far too deep without overflowing the stack', () => {
    let pattern: Record<string, unknown> = { leaf: ['x'] };
    for (let depth = 0; depth < 100_000; depth++) pattern = { a: pattern };
    expect(rejection(pattern).reason).toBe('Event pattern is nested more than 1000 levels deep');
  });

  it('rejects a cyclic object', () => {
    const pattern: Record<string, unknown> = {};
    pattern.a = pattern;
    expect(rejection(pattern)).toBeInstanceOf(InvalidEventPatternError);
  });

  it('turns an object whose getter throws into InvalidEventPatternError', () => {
    const pattern = Object.defineProperty({}, 'a', { enumerable: true, get: () => { throw new TypeError('boom'); } });
    expect(rejection(pattern).reason).toContain('boom');
  });
});

describe('accepted forms (§1–§3)', () => {
  const orOf = (count: number) => ({ $or: Array.from({ length: count }, (_, index) => ({ [`f${index}`]: ['x'] })) });
  const accepted: { behaviour: string; pattern: unknown }[] = [
    { behaviour: 'accepts a leaf mixing types and operators', pattern: leaf('x', 5, null, true, '', { prefix: 'a' }, { numeric: ['>', 1] }) },
    { behaviour: 'accepts the empty prefix', pattern: leaf({ prefix: '' }) },
    { behaviour: 'accepts the empty suffix', pattern: leaf({ suffix: '' }) },
    { behaviour: 'accepts an equals-ignore-case prefix', pattern: leaf({ prefix: { 'equals-ignore-case': 'A' } }) },
    { behaviour: 'accepts an equals-ignore-case suffix', pattern: leaf({ suffix: { 'equals-ignore-case': '' } }) },
    { behaviour: 'accepts an empty equals-ignore-case', pattern: leaf({ 'equals-ignore-case': '' }) },
    { behaviour: 'accepts anything-but of a string, a number and lists of each', pattern: leaf({ 'anything-but': '' }, { 'anything-but': 1 }, { 'anything-but': ['a'] }, { 'anything-but': [1, 2.5] }) },
    { behaviour: 'accepts anything-but prefix and suffix lists', pattern: leaf({ 'anything-but': { prefix: ['a', 'b'] } }, { 'anything-but': { suffix: ['.png'] } }) },
    { behaviour: 'accepts anything-but equals-ignore-case including ""', pattern: leaf({ 'anything-but': { 'equals-ignore-case': '' } }, { 'anything-but': { 'equals-ignore-case': ['a', 'B'] } }) },
    { behaviour: 'accepts anything-but wildcard including ""', pattern: leaf({ 'anything-but': { wildcard: '' } }, { 'anything-but': { wildcard: ['*.png', 'a*b'] } }) },
    { behaviour: 'accepts every numeric form', pattern: leaf({ numeric: ['=', 5] }, { numeric: ['<', -1e300] }, { numeric: ['<=', 0] }, { numeric: ['>', 1] }, { numeric: ['>=', 1, '<', 2] }, { numeric: ['>', 0, '<=', 1e-300] }) },
    { behaviour: 'accepts numeric bounds in scientific notation', pattern: '{"f":[{"numeric":[">",1.628872008E9,"<",3.0E10]}]}' },
    { behaviour: 'accepts exists true and false', pattern: leaf({ exists: true }, { exists: false }) },
    { behaviour: 'accepts IPv4 and IPv6 CIDRs, with host bits and /0', pattern: leaf({ cidr: '220.160.154.255/24' }, { cidr: '0.0.0.0/0' }, { cidr: '2001:DB8::/32' }, { cidr: '::/0' }, { cidr: '::ffff:10.0.0.0/128' }) },
    { behaviour: 'accepts wildcards with escapes and many stars', pattern: leaf({ wildcard: '*' }, { wildcard: '' }, { wildcard: 'a\\*b\\\\*' }, { wildcard: '*:*:*:*:*:event-bus/*' }) },
    { behaviour: 'accepts nested $or', pattern: { $or: [{ a: ['1'] }, { $or: [{ b: ['2'] }, { c: ['3'] }] }] } },
    { behaviour: 'accepts exactly 1000 rule combinations', pattern: { ...orOf(10), detail: { ...orOf(10), inner: orOf(10) } } },
    { behaviour: 'accepts operator keywords as field names outside $or', pattern: { detail: { numeric: ['>', 1], prefix: ['a'] } } },
    { behaviour: 'accepts reserved words as values inside $or', pattern: { $or: [{ a: ['numeric'] }, { b: [{ prefix: 'x' }] }] } },
    { behaviour: 'accepts a 12-digit account number', pattern: { account: [123456789012] } },
    { behaviour: 'accepts dotted keys and an empty key', pattern: { detail: { 'state.status': ['x'], '': ['y'] } } },
    { behaviour: 'accepts pattern text of exactly 4096 characters', pattern: JSON.stringify({ a: ['x'.repeat(4096 - 10)] }) },
    { behaviour: 'accepts JSON text with whitespace', pattern: ' {\n  "source" : [ "redress.ingest" ]\n}\n' },
    { behaviour: 'accepts an object with a null prototype', pattern: Object.assign(Object.create(null) as object, { a: ['x'] }) },
  ];

  it.each(accepted)('$behaviour', ({ pattern }) => {
    expect(() => parseEventPattern(pattern)).not.toThrow();
  });

  it('returns the parsed pattern for JSON text', () => {
    expect(parseEventPattern('{"source":["redress.ingest"]}')).toEqual({ source: ['redress.ingest'] });
  });

  it('returns an object pattern as given', () => {
    const pattern = { source: ['redress.ingest'] };
    expect(parseEventPattern(pattern)).toBe(pattern);
  });
});
