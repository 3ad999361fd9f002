// Matching semantics of ../../../../shared/specs/eventbridge.md §1 and §2, one table per section.
import { describe, expect, it } from 'vitest';
import { compileEventPattern, matchesEventPattern } from '#event-patterns/match';
import { type EventPattern, parseEventPattern } from '#event-patterns/validate';

interface Case {
  behaviour: string;
  pattern: EventPattern | string;
  event: unknown;
  matches: boolean;
}

function behaves(cases: Case[]): void {
  it.each(cases)('$behaviour', ({ pattern, event, matches }) => {
    expect(matchesEventPattern(parseEventPattern(pattern), event)).toBe(matches);
  });
}

const employees = {
  detail: {
    employees: [
      { firstName: 'Anna', lastName: 'Smith' },
      { firstName: 'Peter', lastName: 'Jones' },
    ],
  },
};

describe('pattern structure (§1.1)', () => {
  behaves([
    {
      behaviour: 'matches when every field at the same level matches',
      pattern: { source: ['redress.ingest'], 'detail-type': ['Post.Classified'] },
      event: { source: 'redress.ingest', 'detail-type': 'Post.Classified', detail: {} },
      matches: true,
    },
    {
      behaviour: 'does not match when one of the ANDed fields differs',
      pattern: { source: ['redress.ingest'], 'detail-type': ['Post.Classified'] },
      event: { source: 'redress.ingest', 'detail-type': 'Ticket.Created' },
      matches: false,
    },
    {
      behaviour: 'matches when any value of a leaf array matches',
      pattern: { detail: { state: ['stopped', 'running'] } },
      event: { detail: { state: 'running' } },
      matches: true,
    },
    {
      behaviour: 'does not match when no value of a leaf array matches',
      pattern: { detail: { state: ['stopped', 'running'] } },
      event: { detail: { state: 'pending' } },
      matches: false,
    },
    {
      behaviour: 'matches a leaf mixing an exact value with operators by its prefix operator',
      pattern: { detail: { state: ['running', { prefix: 'init' }, { numeric: ['>', 100] }] } },
      event: { detail: { state: 'initialising' } },
      matches: true,
    },
    {
      behaviour: 'matches a leaf mixing an exact value with operators by its numeric operator',
      pattern: { detail: { state: ['running', { prefix: 'init' }, { numeric: ['>', 100] }] } },
      event: { detail: { state: 150 } },
      matches: true,
    },
    {
      behaviour: 'does not match a mixed leaf when neither the value nor any operator matches',
      pattern: { detail: { state: ['running', { prefix: 'init' }, { numeric: ['>', 100] }] } },
      event: { detail: { state: 50 } },
      matches: false,
    },
    {
      behaviour: 'does not match when a named field is missing from the event',
      pattern: { source: ['redress.ingest'], detail: { priority: ['P1'] } },
      event: { source: 'redress.ingest', detail: {} },
      matches: false,
    },
    {
      behaviour: 'ignores event fields the pattern does not name',
      pattern: { detail: { priority: ['P1'] } },
      event: { id: '1', source: 'redress.ingest', detail: { priority: 'P1', category: 'delay', extra: { a: 1 } } },
      matches: true,
    },
    {
      behaviour: 'does not find a field at a shallower depth than the pattern names',
      pattern: { detail: { state: ['running'] } },
      event: { state: 'running', detail: {} },
      matches: false,
    },
    {
      behaviour: 'does not find a field at a deeper depth than the pattern names',
      pattern: { detail: { state: ['running'] } },
      event: { detail: { instance: { state: 'running' } } },
      matches: false,
    },
    {
      behaviour: 'does not match the string "2" with the number 2',
      pattern: { detail: { count: ['2'] } },
      event: { detail: { count: 2 } },
      matches: false,
    },
    {
      behaviour: 'does not match the number 2 with the string "2"',
      pattern: { detail: { count: [2] } },
      event: { detail: { count: '2' } },
      matches: false,
    },
    {
      behaviour: 'does not match the string "true" with the boolean true',
      pattern: { detail: { flag: ['true'] } },
      event: { detail: { flag: true } },
      matches: false,
    },
    {
      behaviour: 'matches the boolean true exactly',
      pattern: { detail: { flag: [true] } },
      event: { detail: { flag: true } },
      matches: true,
    },
    {
      behaviour: 'does not match the boolean false with true',
      pattern: { detail: { flag: [true] } },
      event: { detail: { flag: false } },
      matches: false,
    },
    {
      behaviour: 'does not match the string "null" with JSON null',
      pattern: { detail: { value: ['null'] } },
      event: { detail: { value: null } },
      matches: false,
    },
    {
      behaviour: 'compares strings case-sensitively',
      pattern: { detail: { state: ['running'] } },
      event: { detail: { state: 'Running' } },
      matches: false,
    },
    {
      behaviour: 'compares field names case-sensitively',
      pattern: { detail: { State: ['running'] } },
      event: { detail: { state: 'running' } },
      matches: false,
    },
    {
      behaviour: 'does not normalise whitespace',
      pattern: { detail: { state: ['running'] } },
      event: { detail: { state: ' running' } },
      matches: false,
    },
    {
      behaviour: 'does not normalise Unicode (composed é is not e + combining accent)',
      pattern: { detail: { city: ['caf\u00e9'] } },
      event: { detail: { city: 'cafe\u0301' } },
      matches: false,
    },
    {
      behaviour: 'joins a dotted pattern key with its parent, matching nested event objects',
      pattern: { detail: { 'state.status': ['running'] } },
      event: { detail: { state: { status: 'running' } } },
      matches: true,
    },
    {
      behaviour: 'matches nested pattern keys against an event key that is literally dotted',
      pattern: { detail: { state: { status: ['running'] } } },
      event: { detail: { 'state.status': 'running' } },
      matches: true,
    },
    {
      behaviour: 'matches a dotted pattern key against the same dotted event key',
      pattern: { detail: { 'state.status': ['running'] } },
      event: { detail: { 'state.status': 'running' } },
      matches: true,
    },
    {
      behaviour: 'lets the last of duplicate pattern keys win',
      pattern: '{"detail":{"state":["stopped"],"state":["running"]}}',
      event: { detail: { state: 'running' } },
      matches: true,
    },
    {
      behaviour: 'forgets the earlier of duplicate pattern keys',
      pattern: '{"detail":{"state":["stopped"],"state":["running"]}}',
      event: { detail: { state: 'stopped' } },
      matches: false,
    },
    {
      behaviour: 'looks only at the event’s own keys, not inherited ones like toString',
      pattern: { toString: [{ exists: true }] },
      event: {},
      matches: false,
    },
    {
      behaviour: 'treats an inherited key like constructor as absent',
      pattern: { constructor: [{ exists: false }] },
      event: {},
      matches: true,
    },
    {
      behaviour: 'matches an event key named __proto__ when the event really has one',
      pattern: { detail: { ['__proto__']: ['x'] } },
      event: JSON.parse('{"detail":{"__proto__":"x"}}'),
      matches: true,
    },
  ]);
});

describe('events that are not objects', () => {
  behaves([
    { behaviour: 'does not match a value against a null event', pattern: { a: ['x'] }, event: null, matches: false },
    { behaviour: 'does not match a value against a string event', pattern: { a: ['x'] }, event: 'x', matches: false },
    { behaviour: 'does not match a value against an array event', pattern: { a: ['x'] }, event: [{ a: 'x' }], matches: false },
    { behaviour: 'matches exists:false against an event with no fields', pattern: { a: [{ exists: false }] }, event: 42, matches: true },
    { behaviour: 'matches exists:false against an undefined event', pattern: { a: [{ exists: false }] }, event: undefined, matches: true },
  ]);
});

describe('null and the empty string (§1.4)', () => {
  behaves([
    { behaviour: 'matches null with [null]', pattern: { a: [null] }, event: { a: null }, matches: true },
    { behaviour: 'matches the empty string with [""]', pattern: { a: [''] }, event: { a: '' }, matches: true },
    { behaviour: 'does not match the empty string with [null]', pattern: { a: [null] }, event: { a: '' }, matches: false },
    { behaviour: 'does not match null with [""]', pattern: { a: [''] }, event: { a: null }, matches: false },
    { behaviour: 'does not match a missing field with [null]', pattern: { a: [null] }, event: {}, matches: false },
    { behaviour: 'does not match a missing field with [""]', pattern: { a: [''] }, event: {}, matches: false },
  ]);
});

describe('numbers as exact values (§1.5, §1.6)', () => {
  behaves([
    { behaviour: 'matches a number in a leaf of mixed types', pattern: { a: ['x', 5, null] }, event: { a: 5 }, matches: true },
    { behaviour: 'matches null in a leaf of mixed types', pattern: { a: ['x', 5, null] }, event: { a: null }, matches: true },
    { behaviour: 'does not match "5" in a leaf holding the number 5', pattern: { a: ['x', 5, null] }, event: { a: '5' }, matches: false },
    {
      behaviour: 'matches a 12-digit account number written as a number',
      pattern: { account: [123456789012] },
      event: { account: 123456789012 },
      matches: true,
    },
    {
      behaviour: 'does not match a neighbouring 12-digit number',
      pattern: { account: [123456789012] },
      event: { account: 123456789013 },
      matches: false,
    },
    {
      behaviour: 'matches 300 against 300.0 by value (observed)',
      pattern: '{"a":[300]}',
      event: JSON.parse('{"a":300.0}'),
      matches: true,
    },
    {
      behaviour: 'matches 300 against 3.0e2 by value (observed)',
      pattern: '{"a":[300]}',
      event: JSON.parse('{"a":3.0e2}'),
      matches: true,
    },
    {
      behaviour: 'matches 3.0e2 in a pattern against 300',
      pattern: '{"a":[3.0e2]}',
      event: { a: 300 },
      matches: true,
    },
  ]);
});

describe('exact IP addresses (§2.1)', () => {
  behaves([
    { behaviour: 'matches an IP-looking exact value against the same address', pattern: { ip: ['10.0.1.200'] }, event: { ip: '10.0.1.200' }, matches: true },
    { behaviour: 'does not match an IP exact value against another address', pattern: { ip: ['10.0.1.200'] }, event: { ip: '10.0.1.201' }, matches: false },
    {
      behaviour: 'matches an exact IPv6 value against its uncompressed spelling',
      pattern: { ip: ['2001:db8::1'] },
      event: { ip: '2001:0DB8:0000:0000:0000:0000:0000:0001' },
      matches: true,
    },
  ]);
});

describe('prefix (§2.2)', () => {
  behaves([
    { behaviour: 'matches a string that starts with the prefix', pattern: { a: [{ prefix: 'init' }] }, event: { a: 'initialising' }, matches: true },
    { behaviour: 'matches a value equal to the whole prefix', pattern: { a: [{ prefix: 'init' }] }, event: { a: 'init' }, matches: true },
    { behaviour: 'does not match the prefix in the middle of a string', pattern: { a: [{ prefix: 'init' }] }, event: { a: 'reinit' }, matches: false },
    { behaviour: 'matches a prefix case-sensitively', pattern: { a: [{ prefix: 'init' }] }, event: { a: 'INITIAL' }, matches: false },
    { behaviour: 'matches a prefix only against strings, not numbers', pattern: { a: [{ prefix: '12' }] }, event: { a: 123 }, matches: false },
    { behaviour: 'matches a prefix only against strings, not booleans', pattern: { a: [{ prefix: 't' }] }, event: { a: true }, matches: false },
    { behaviour: 'matches a prefix only against strings, not null', pattern: { a: [{ prefix: 'n' }] }, event: { a: null }, matches: false },
    { behaviour: 'matches every string with the empty prefix (observed)', pattern: { a: [{ prefix: '' }] }, event: { a: 'anything' }, matches: true },
    { behaviour: 'matches the empty string with the empty prefix', pattern: { a: [{ prefix: '' }] }, event: { a: '' }, matches: true },
    { behaviour: 'does not match a number with the empty prefix', pattern: { a: [{ prefix: '' }] }, event: { a: 0 }, matches: false },
    { behaviour: 'does not match a missing field with the empty prefix', pattern: { a: [{ prefix: '' }] }, event: {}, matches: false },
    {
      behaviour: 'matches a prefix in any case with equals-ignore-case',
      pattern: { a: [{ prefix: { 'equals-ignore-case': 'INIT' } }] },
      event: { a: 'Initialising' },
      matches: true,
    },
    {
      behaviour: 'does not match a different prefix with equals-ignore-case',
      pattern: { a: [{ prefix: { 'equals-ignore-case': 'INIT' } }] },
      event: { a: 'running' },
      matches: false,
    },
  ]);
});

describe('suffix (§2.3)', () => {
  behaves([
    { behaviour: 'matches a string that ends with the suffix', pattern: { a: [{ suffix: '.png' }] }, event: { a: 'photo.png' }, matches: true },
    { behaviour: 'matches a value equal to the whole suffix', pattern: { a: [{ suffix: '.png' }] }, event: { a: '.png' }, matches: true },
    { behaviour: 'does not match .PNG with the suffix .png', pattern: { a: [{ suffix: '.png' }] }, event: { a: 'photo.PNG' }, matches: false },
    { behaviour: 'matches a multi-byte suffix', pattern: { a: [{ suffix: '中文' }] }, event: { a: '这是中文' }, matches: true },
    { behaviour: 'matches a suffix only against strings', pattern: { a: [{ suffix: '3' }] }, event: { a: 123 }, matches: false },
    {
      behaviour: 'matches .PNG with the equals-ignore-case suffix .png',
      pattern: { a: [{ suffix: { 'equals-ignore-case': '.png' } }] },
      event: { a: 'photo.PNG' },
      matches: true,
    },
    {
      behaviour: 'does not match another extension with the equals-ignore-case suffix',
      pattern: { a: [{ suffix: { 'equals-ignore-case': '.png' } }] },
      event: { a: 'photo.jpg' },
      matches: false,
    },
  ]);
});

describe('equals-ignore-case (§2.4)', () => {
  behaves([
    { behaviour: 'matches a string in another case', pattern: { a: [{ 'equals-ignore-case': 'alice' }] }, event: { a: 'ALICE' }, matches: true },
    { behaviour: 'compares the whole value, not a part', pattern: { a: [{ 'equals-ignore-case': 'alice' }] }, event: { a: 'Alice Smith' }, matches: false },
    { behaviour: 'matches a case pair that differs in UTF-8 length (ⱥ/Ⱥ)', pattern: { a: [{ 'equals-ignore-case': 'ⱥ' }] }, event: { a: 'Ⱥ' }, matches: true },
    { behaviour: 'matches Greek text in another case', pattern: { a: [{ 'equals-ignore-case': 'ΟΔΟΣ' }] }, event: { a: 'οδος' }, matches: true },
    { behaviour: 'matches the empty string with ""', pattern: { a: [{ 'equals-ignore-case': '' }] }, event: { a: '' }, matches: true },
    { behaviour: 'does not match a non-empty string with ""', pattern: { a: [{ 'equals-ignore-case': '' }] }, event: { a: 'a' }, matches: false },
    { behaviour: 'matches only strings, not numbers', pattern: { a: [{ 'equals-ignore-case': '5' }] }, event: { a: 5 }, matches: false },
  ]);
});

describe('anything-but (§2.5)', () => {
  behaves([
    { behaviour: 'matches a string other than the excluded one', pattern: { a: [{ 'anything-but': 'banned' }] }, event: { a: 'ok' }, matches: true },
    { behaviour: 'does not match the excluded string', pattern: { a: [{ 'anything-but': 'banned' }] }, event: { a: 'banned' }, matches: false },
    { behaviour: 'never matches a missing field (observed)', pattern: { a: [{ 'anything-but': 'banned' }] }, event: {}, matches: false },
    { behaviour: 'excludes case-sensitively', pattern: { a: [{ 'anything-but': 'banned' }] }, event: { a: 'BANNED' }, matches: true },
    { behaviour: 'matches the number 123 when excluding the string "123"', pattern: { a: [{ 'anything-but': '123' }] }, event: { a: 123 }, matches: true },
    { behaviour: 'does not match an excluded number', pattern: { a: [{ 'anything-but': 123 }] }, event: { a: 123 }, matches: false },
    { behaviour: 'excludes numbers by value', pattern: '{"a":[{"anything-but":123}]}', event: JSON.parse('{"a":123.0}'), matches: false },
    { behaviour: 'matches a string when excluding numbers', pattern: { a: [{ 'anything-but': [111, 222] }] }, event: { a: '444' }, matches: true },
    { behaviour: 'does not match a number from an excluded list', pattern: { a: [{ 'anything-but': [111, 222] }] }, event: { a: 222 }, matches: false },
    { behaviour: 'matches a number outside an excluded list', pattern: { a: [{ 'anything-but': [111, 222] }] }, event: { a: 333 }, matches: true },
    { behaviour: 'does not match a string from an excluded list', pattern: { a: [{ 'anything-but': ['a', 'b'] }] }, event: { a: 'b' }, matches: false },
    { behaviour: 'matches a string outside an excluded list', pattern: { a: [{ 'anything-but': ['a', 'b'] }] }, event: { a: 'c' }, matches: true },
    { behaviour: 'matches null against a string exclusion (observed)', pattern: { a: [{ 'anything-but': 'x' }] }, event: { a: null }, matches: true },
    { behaviour: 'matches null against a number exclusion (observed)', pattern: { a: [{ 'anything-but': [1, 2] }] }, event: { a: null }, matches: true },
    { behaviour: 'matches a boolean against a string exclusion', pattern: { a: [{ 'anything-but': 'true' }] }, event: { a: true }, matches: true },
    { behaviour: 'does not match a string with an excluded prefix', pattern: { a: [{ 'anything-but': { prefix: 'init' } }] }, event: { a: 'initialising' }, matches: false },
    { behaviour: 'matches a string without the excluded prefix', pattern: { a: [{ 'anything-but': { prefix: 'init' } }] }, event: { a: 'running' }, matches: true },
    { behaviour: 'matches the number 12 against an excluded prefix (observed)', pattern: { a: [{ 'anything-but': { prefix: 'init' } }] }, event: { a: 12 }, matches: true },
    { behaviour: 'matches null against an excluded prefix (observed)', pattern: { a: [{ 'anything-but': { prefix: 'init' } }] }, event: { a: null }, matches: true },
    { behaviour: 'does not match a string with any prefix of an excluded list', pattern: { a: [{ 'anything-but': { prefix: ['a', 'b'] } }] }, event: { a: 'bcd' }, matches: false },
    { behaviour: 'matches a string with none of the excluded prefixes', pattern: { a: [{ 'anything-but': { prefix: ['a', 'b'] } }] }, event: { a: 'cde' }, matches: true },
    { behaviour: 'does not match a string with an excluded suffix', pattern: { a: [{ 'anything-but': { suffix: '.png' } }] }, event: { a: 'x.png' }, matches: false },
    { behaviour: 'matches a string without the excluded suffix', pattern: { a: [{ 'anything-but': { suffix: '.png' } }] }, event: { a: 'x.jpg' }, matches: true },
    { behaviour: 'does not match a string with any suffix of an excluded list', pattern: { a: [{ 'anything-but': { suffix: ['.png', '.jpg'] } }] }, event: { a: 'x.jpg' }, matches: false },
    { behaviour: 'excludes every casing with equals-ignore-case', pattern: { a: [{ 'anything-but': { 'equals-ignore-case': 'Banned' } }] }, event: { a: 'BANNED' }, matches: false },
    { behaviour: 'matches other strings with an equals-ignore-case exclusion', pattern: { a: [{ 'anything-but': { 'equals-ignore-case': 'Banned' } }] }, event: { a: 'ok' }, matches: true },
    { behaviour: 'excludes every casing of an equals-ignore-case list', pattern: { a: [{ 'anything-but': { 'equals-ignore-case': ['a', 'B'] } }] }, event: { a: 'b' }, matches: false },
    { behaviour: 'does not match a string the excluded wildcard matches', pattern: { a: [{ 'anything-but': { wildcard: '*.png' } }] }, event: { a: 'a.png' }, matches: false },
    { behaviour: 'matches a string the excluded wildcard does not match', pattern: { a: [{ 'anything-but': { wildcard: '*.png' } }] }, event: { a: 'a.jpg' }, matches: true },
    { behaviour: 'does not match a string any excluded wildcard matches', pattern: { a: [{ 'anything-but': { wildcard: ['*.png', '*.jpg'] } }] }, event: { a: 'a.jpg' }, matches: false },
    { behaviour: 'excludes only the empty string with the empty wildcard', pattern: { a: [{ 'anything-but': { wildcard: '' } }] }, event: { a: '' }, matches: false },
    { behaviour: 'matches a non-empty string against the empty wildcard exclusion', pattern: { a: [{ 'anything-but': { wildcard: '' } }] }, event: { a: 'x' }, matches: true },
    {
      behaviour: 'ORs two anything-but objects in one leaf, so together they match everything',
      pattern: { a: [{ 'anything-but': 'a' }, { 'anything-but': 'b' }] },
      event: { a: 'a' },
      matches: true,
    },
  ]);
});

describe('wildcard (§2.6)', () => {
  behaves([
    { behaviour: 'matches any characters, including slashes, in place of *', pattern: { a: [{ wildcard: 'dir/*.png' }] }, event: { a: 'dir/a/b.png' }, matches: true },
    { behaviour: 'anchors the wildcard at the start', pattern: { a: [{ wildcard: 'dir/*.png' }] }, event: { a: 'x/dir/a.png' }, matches: false },
    { behaviour: 'anchors the wildcard at the end', pattern: { a: [{ wildcard: 'dir/*.png' }] }, event: { a: 'dir/a.png.bak' }, matches: false },
    { behaviour: 'matches an empty run in place of *', pattern: { a: [{ wildcard: 'dir/*.png' }] }, event: { a: 'dir/.png' }, matches: true },
    { behaviour: 'matches wildcards case-sensitively', pattern: { a: [{ wildcard: '*.PNG' }] }, event: { a: 'a.png' }, matches: false },
    { behaviour: 'matches the empty string with *', pattern: { a: [{ wildcard: '*' }] }, event: { a: '' }, matches: true },
    { behaviour: 'matches only the empty string with "" (observed)', pattern: { a: [{ wildcard: '' }] }, event: { a: '' }, matches: true },
    { behaviour: 'does not match a non-empty string with "" (observed)', pattern: { a: [{ wildcard: '' }] }, event: { a: 'a' }, matches: false },
    { behaviour: 'matches several stars in order', pattern: { a: [{ wildcard: '*:*:*:*:*:event-bus/*' }] }, event: { a: 'arn:aws:events:eu-west-1:123456789012:event-bus/redress' }, matches: true },
    { behaviour: 'does not match when the pieces are out of order', pattern: { a: [{ wildcard: '*b*a*' }] }, event: { a: 'ab' }, matches: false },
    { behaviour: 'does not let a middle piece overlap the last one', pattern: { a: [{ wildcard: 'a*bc*c' }] }, event: { a: 'abc' }, matches: false },
    { behaviour: 'treats \\* as a literal asterisk', pattern: { a: [{ wildcard: 'a\\*b' }] }, event: { a: 'a*b' }, matches: true },
    { behaviour: 'does not let \\* match other characters', pattern: { a: [{ wildcard: 'a\\*b' }] }, event: { a: 'axb' }, matches: false },
    { behaviour: 'treats \\\\ as a literal backslash', pattern: { a: [{ wildcard: 'a\\\\*' }] }, event: { a: 'a\\bc' }, matches: true },
    { behaviour: 'matches only strings', pattern: { a: [{ wildcard: '*' }] }, event: { a: 5 }, matches: false },
  ]);
});

describe('numeric (§2.7)', () => {
  behaves([
    { behaviour: 'matches = by value (5.0 equals 5)', pattern: '{"a":[{"numeric":["=",5]}]}', event: JSON.parse('{"a":5.0}'), matches: true },
    { behaviour: 'matches = against scientific notation in the pattern', pattern: '{"a":[{"numeric":["=",3.018e2]}]}', event: { a: 301.8 }, matches: true },
    { behaviour: 'matches scientific notation in the event', pattern: { a: [{ numeric: ['>', 1628872000] }] }, event: JSON.parse('{"a":1.628872008E9}'), matches: true },
    { behaviour: 'matches small scientific numbers', pattern: '{"a":[{"numeric":["<",3.0E-6]}]}', event: { a: 0.000001 }, matches: true },
    { behaviour: 'treats > as exclusive', pattern: { a: [{ numeric: ['>', 5] }] }, event: { a: 5 }, matches: false },
    { behaviour: 'treats >= as inclusive', pattern: { a: [{ numeric: ['>=', 5] }] }, event: { a: 5 }, matches: true },
    { behaviour: 'treats < as exclusive', pattern: { a: [{ numeric: ['<', 5] }] }, event: { a: 5 }, matches: false },
    { behaviour: 'treats <= as inclusive', pattern: { a: [{ numeric: ['<=', 5] }] }, event: { a: 5 }, matches: true },
    { behaviour: 'matches inside a two-sided range', pattern: { a: [{ numeric: ['>', 0, '<=', 5] }] }, event: { a: 5 }, matches: true },
    { behaviour: 'does not match the exclusive lower bound of a range', pattern: { a: [{ numeric: ['>', 0, '<=', 5] }] }, event: { a: 0 }, matches: false },
    { behaviour: 'does not match above a range', pattern: { a: [{ numeric: ['>', 0, '<=', 5] }] }, event: { a: 5.000001 }, matches: false },
    { behaviour: 'matches the inclusive lower bound of a range', pattern: { a: [{ numeric: ['>=', 0, '<', 5] }] }, event: { a: 0 }, matches: true },
    { behaviour: 'does not match a numeric string (observed)', pattern: { a: [{ numeric: ['=', 5] }] }, event: { a: '5' }, matches: false },
    { behaviour: 'does not match a boolean', pattern: { a: [{ numeric: ['>', 0] }] }, event: { a: true }, matches: false },
    { behaviour: 'does not match null (observed)', pattern: { a: [{ numeric: ['<', 1] }] }, event: { a: null }, matches: false },
    { behaviour: 'supports numbers beyond ±5.0e9 (full double range)', pattern: { a: [{ numeric: ['>', 1e300] }] }, event: { a: 1.5e300 }, matches: true },
    { behaviour: 'supports large negative numbers', pattern: { a: [{ numeric: ['<', -5e9] }] }, event: { a: -1e10 }, matches: true },
    { behaviour: 'keeps precision beyond six decimal places', pattern: { a: [{ numeric: ['>', 0.0000001] }] }, event: { a: 0.0000002 }, matches: true },
  ]);
});

describe('exists (§2.8, §1.2)', () => {
  behaves([
    { behaviour: 'matches exists:true for a present string', pattern: { a: [{ exists: true }] }, event: { a: 'x' }, matches: true },
    { behaviour: 'treats null as present for exists:true', pattern: { a: [{ exists: true }] }, event: { a: null }, matches: true },
    { behaviour: 'treats null as present, so exists:false does not match it', pattern: { a: [{ exists: false }] }, event: { a: null }, matches: false },
    { behaviour: 'does not match exists:true for a missing field', pattern: { a: [{ exists: true }] }, event: {}, matches: false },
    { behaviour: 'matches exists:false for a missing field', pattern: { a: [{ exists: false }] }, event: { b: 1 }, matches: true },
    { behaviour: 'does not count an object as present for exists:true', pattern: { a: [{ exists: true }] }, event: { a: { b: 1 } }, matches: false },
    { behaviour: 'counts an object as absent for exists:false', pattern: { a: [{ exists: false }] }, event: { a: { b: 1 } }, matches: true },
    { behaviour: 'counts an empty array as absent for exists:true (observed)', pattern: { a: [{ exists: true }] }, event: { a: [] }, matches: false },
    { behaviour: 'counts an empty array as absent for exists:false', pattern: { a: [{ exists: false }] }, event: { a: [] }, matches: true },
    { behaviour: 'counts an array of scalars as present', pattern: { a: [{ exists: true }] }, event: { a: [1] }, matches: true },
    { behaviour: 'does not count an array of objects as a present leaf', pattern: { a: [{ exists: true }] }, event: { a: [{ b: 1 }] }, matches: false },
    { behaviour: 'matches exists:false when the parent is an empty detail', pattern: { detail: { x: [{ exists: false }] } }, event: { detail: {} }, matches: true },
    { behaviour: 'matches exists:false when the parent is missing', pattern: { detail: { x: [{ exists: false }] } }, event: { source: 's' }, matches: true },
    { behaviour: 'matches exists:false when the parent is a scalar', pattern: { detail: { x: [{ exists: false }] } }, event: { detail: 'text' }, matches: true },
    { behaviour: 'matches exists:false ORed with a value when the field is missing', pattern: { a: [{ exists: false }, '1'] }, event: {}, matches: true },
    { behaviour: 'matches exists:false ORed with a value when the value is there', pattern: { a: [{ exists: false }, '1'] }, event: { a: '1' }, matches: true },
    { behaviour: 'does not match exists:false ORed with a value for another value', pattern: { a: [{ exists: false }, '1'] }, event: { a: '2' }, matches: false },
  ]);
});

describe('cidr (§2.9)', () => {
  behaves([
    { behaviour: 'matches an IPv4 address inside the block', pattern: { ip: [{ cidr: '10.0.0.0/24' }] }, event: { ip: '10.0.0.7' }, matches: true },
    { behaviour: 'does not match an IPv4 address outside the block', pattern: { ip: [{ cidr: '10.0.0.0/24' }] }, event: { ip: '10.0.1.7' }, matches: false },
    { behaviour: 'never matches 10.0.0.256 (observed)', pattern: { ip: [{ cidr: '10.0.0.0/24' }] }, event: { ip: '10.0.0.256' }, matches: false },
    { behaviour: 'never matches a number', pattern: { ip: [{ cidr: '0.0.0.0/0' }] }, event: { ip: 167772167 }, matches: false },
    { behaviour: 'never matches a string that is not an IP address', pattern: { ip: [{ cidr: '0.0.0.0/0' }] }, event: { ip: 'localhost' }, matches: false },
    { behaviour: 'ignores host bits in the CIDR (bottom of range)', pattern: { ip: [{ cidr: '220.160.154.255/24' }] }, event: { ip: '220.160.154.0' }, matches: true },
    { behaviour: 'ignores host bits in the CIDR (top of range)', pattern: { ip: [{ cidr: '220.160.154.255/24' }] }, event: { ip: '220.160.154.255' }, matches: true },
    { behaviour: 'ignores host bits in the CIDR (just past the range)', pattern: { ip: [{ cidr: '220.160.154.255/24' }] }, event: { ip: '220.160.155.0' }, matches: false },
    { behaviour: 'matches every IPv4 address with /0', pattern: { ip: [{ cidr: '0.0.0.0/0' }] }, event: { ip: '255.255.255.255' }, matches: true },
    { behaviour: 'matches a single address with /32', pattern: { ip: [{ cidr: '10.1.2.3/32' }] }, event: { ip: '10.1.2.3' }, matches: true },
    { behaviour: 'does not match a neighbour with /32', pattern: { ip: [{ cidr: '10.1.2.3/32' }] }, event: { ip: '10.1.2.4' }, matches: false },
    { behaviour: 'matches a mask that is not a multiple of 8', pattern: { ip: [{ cidr: '10.0.0.0/13' }] }, event: { ip: '10.7.255.255' }, matches: true },
    { behaviour: 'does not match just past a mask that is not a multiple of 8', pattern: { ip: [{ cidr: '10.0.0.0/13' }] }, event: { ip: '10.8.0.0' }, matches: false },
    { behaviour: 'matches an IPv6 address inside the block', pattern: { ip: [{ cidr: '2001:db8::/32' }] }, event: { ip: '2001:db8:1::5' }, matches: true },
    {
      behaviour: 'matches an uncompressed IPv6 address against a compressed CIDR (observed)',
      pattern: { ip: [{ cidr: '2001:db8::/64' }] },
      event: { ip: '2001:0db8:0000:0000:0000:0000:0000:0001' },
      matches: true,
    },
    { behaviour: 'treats IPv6 hex digits case-insensitively', pattern: { ip: [{ cidr: '2001:DB8::/32' }] }, event: { ip: '2001:db8::ABCD' }, matches: true },
    { behaviour: 'does not match an IPv6 address outside the block', pattern: { ip: [{ cidr: '2001:db8::/32' }] }, event: { ip: '2001:db9::1' }, matches: false },
    { behaviour: 'does not match an IPv4 address against an IPv6 block', pattern: { ip: [{ cidr: '::/0' }] }, event: { ip: '10.0.0.1' }, matches: false },
    { behaviour: 'does not match an IPv6 address against an IPv4 block', pattern: { ip: [{ cidr: '0.0.0.0/0' }] }, event: { ip: '::1' }, matches: false },
    { behaviour: 'matches IPv6 with an embedded IPv4 tail', pattern: { ip: [{ cidr: '::ffff:10.0.0.0/120' }] }, event: { ip: '::ffff:10.0.0.9' }, matches: true },
  ]);
});

describe('$or (§2.10)', () => {
  const pattern = { source: ['redress.ingest'], $or: [{ detail: { priority: ['P1'] } }, { detail: { category: ['meal'] } }] };
  behaves([
    { behaviour: 'matches the first branch', pattern, event: { source: 'redress.ingest', detail: { priority: 'P1' } }, matches: true },
    { behaviour: 'matches the second branch', pattern, event: { source: 'redress.ingest', detail: { category: 'meal' } }, matches: true },
    { behaviour: 'does not match when no branch matches', pattern, event: { source: 'redress.ingest', detail: { priority: 'P3' } }, matches: false },
    { behaviour: 'ANDs the branches with their sibling fields', pattern, event: { source: 'other', detail: { priority: 'P1' } }, matches: false },
    {
      behaviour: 'never combines fields from different branches',
      pattern: { $or: [{ a: ['x'], b: ['y'] }, { a: ['z'], b: ['w'] }] },
      event: { a: 'x', b: 'w' },
      matches: false,
    },
    {
      behaviour: 'applies a nested $or at its own level',
      pattern: { detail: { $or: [{ x: [1] }, { y: [2] }] } },
      event: { detail: { y: 2 } },
      matches: true,
    },
    {
      behaviour: 'matches a $or nested inside a $or branch',
      pattern: { $or: [{ a: ['1'] }, { $or: [{ b: ['2'] }, { c: ['3'] }] }] },
      event: { c: '3' },
      matches: true,
    },
    {
      behaviour: 'requires both of two parallel $or groups at different levels',
      pattern: { $or: [{ a: ['1'] }, { b: ['2'] }], detail: { $or: [{ c: ['3'] }, { d: ['4'] }] } },
      event: { b: '2', detail: { e: '5' } },
      matches: false,
    },
    {
      behaviour: 'matches when each of two parallel $or groups has a matching branch',
      pattern: { $or: [{ a: ['1'] }, { b: ['2'] }], detail: { $or: [{ c: ['3'] }, { d: ['4'] }] } },
      event: { b: '2', detail: { d: '4' } },
      matches: true,
    },
  ]);
});

describe('arrays in events (§1.3)', () => {
  behaves([
    { behaviour: 'matches when any element of an event array matches', pattern: { tags: ['b'] }, event: { tags: ['a', 'b'] }, matches: true },
    { behaviour: 'does not match when no element of an event array matches', pattern: { tags: ['c'] }, event: { tags: ['a', 'b'] }, matches: false },
    { behaviour: 'matches a prefix against any element', pattern: { tags: [{ prefix: 'de' }] }, event: { tags: ['meal', 'delay'] }, matches: true },
    { behaviour: 'matches numeric against any element', pattern: { n: [{ numeric: ['>', 10] }] }, event: { n: [1, 20] }, matches: true },
    { behaviour: 'matches cidr against any element', pattern: { ip: [{ cidr: '10.0.0.0/8' }] }, event: { ip: ['192.168.0.1', '10.1.1.1'] }, matches: true },
    { behaviour: 'matches equals-ignore-case against any element', pattern: { t: [{ 'equals-ignore-case': 'X' }] }, event: { t: ['y', 'x'] }, matches: true },
    { behaviour: 'matches wildcard against any element', pattern: { t: [{ wildcard: 'a*' }] }, event: { t: ['b', 'abc'] }, matches: true },
    { behaviour: 'matches anything-but when one element is not excluded', pattern: { t: [{ 'anything-but': 'banned' }] }, event: { t: ['banned', 'ok'] }, matches: true },
    { behaviour: 'does not match anything-but when every element is excluded', pattern: { t: [{ 'anything-but': 'banned' }] }, event: { t: ['banned'] }, matches: false },
    { behaviour: 'does not match anything-but against an empty array', pattern: { t: [{ 'anything-but': 'banned' }] }, event: { t: [] }, matches: false },
    { behaviour: 'no exact value matches an empty array (observed)', pattern: { t: [''] }, event: { t: [] }, matches: false },
    { behaviour: 'crushes out arrays of objects', pattern: { detail: { employees: { firstName: ['Peter'] } } }, event: employees, matches: true },
    { behaviour: 'crushes out multi-level arrays', pattern: { x: { a: [2] } }, event: { x: [[{ a: 1 }], [{ a: 2 }]] }, matches: true },
    { behaviour: 'matches values inside nested scalar arrays', pattern: { x: [3] }, event: { x: [[1, 2], [3]] }, matches: true },
    {
      behaviour: 'does not let two fields match in different elements of the same array',
      pattern: { detail: { employees: { firstName: ['Anna'], lastName: ['Jones'] } } },
      event: employees,
      matches: false,
    },
    {
      behaviour: 'matches two fields in the same element of an array',
      pattern: { detail: { employees: { firstName: ['Anna'], lastName: ['Smith'] } } },
      event: employees,
      matches: true,
    },
    {
      behaviour: 'keeps array consistency through a dotted pattern key',
      pattern: { detail: { 'employees.firstName': ['Anna'], 'employees.lastName': ['Jones'] } },
      event: employees,
      matches: false,
    },
    {
      behaviour: 'keeps array consistency inside nested arrays',
      pattern: { a: { b: { c: [1], d: [4] } } },
      event: { a: [{ b: [{ c: 1, d: 2 }, { c: 3, d: 4 }] }] },
      matches: false,
    },
    {
      behaviour: 'matches two fields from the same element of a nested array',
      pattern: { a: { b: { c: [3], d: [4] } } },
      event: { a: [{ b: [{ c: 1, d: 2 }, { c: 3, d: 4 }] }] },
      matches: true,
    },
    {
      behaviour: 'lets fields in sibling arrays of one element match independently',
      pattern: { a: { b: [1], c: [4] } },
      event: { a: [{ b: [1, 2], c: [3, 4] }] },
      matches: true,
    },
    {
      behaviour: 'lets fields in different arrays match independently',
      pattern: { tags: ['b'], ids: [1] },
      event: { tags: ['a', 'b'], ids: [1, 2] },
      matches: true,
    },
    {
      behaviour: 'tries every element until a consistent one is found',
      pattern: { songs: { title: ['A'], rating: [{ numeric: ['>', 4] }] } },
      event: { songs: [{ title: 'A', rating: 3 }, { title: 'B', rating: 5 }, { title: 'A', rating: 5 }] },
      matches: true,
    },
    {
      behaviour: 'judges exists:false inside the element the other field matched in',
      pattern: { a: { b: [2], c: [{ exists: false }] } },
      event: { a: [{ b: 1, c: 2 }, { b: 2 }] },
      matches: true,
    },
    {
      behaviour: 'does not match exists:false when the matched element has the field',
      pattern: { a: { b: [1], c: [{ exists: false }] } },
      event: { a: [{ b: 1, c: 2 }, { b: 2 }] },
      matches: false,
    },
    {
      behaviour: 'does not match exists:false when another element has the field and nothing else is matched',
      pattern: { a: { c: [{ exists: false }] } },
      event: { a: [{ b: 1 }, { c: 2 }] },
      matches: false,
    },
    {
      behaviour: 'finds the one element where nested-array values and exists:false all hold',
      pattern: { a: { b: [1], c: [3], d: [{ exists: false }] } },
      event: { a: [{ b: [1, 2], c: [3, 4], d: 5 }, { b: [2, 1], c: [4, 3] }] },
      matches: true,
    },
    {
      behaviour: 'does not match when every element with the nested-array values has the absent field',
      pattern: { a: { b: [1], c: [3], d: [{ exists: false }] } },
      event: { a: [{ b: [1, 2], c: [3, 4], d: 5 }, { b: [2, 1], c: [4, 3], d: 6 }] },
      matches: false,
    },
    {
      behaviour: 'does not match exists:false when the field is outside any array',
      pattern: { a: { b: [2] }, c: [{ exists: false }] },
      event: { a: [{ b: 2 }], c: 1 },
      matches: false,
    },
  ]);
});

describe('matching cost', () => {
  // A naive search tries 100^4 combinations here (seconds); collapsing interchangeable values
  // makes it about a millisecond, so the bound is generous for slow machines.
  it('decides quickly when many nested arrays share one outer element and a later field fails', () => {
    const many = () => Array.from({ length: 100 }, (_, index) => index);
    const event = { a: [{ b: many(), c: many(), e: many(), f: many(), d: 1 }] };
    const somewhere = [{ exists: true }];
    const pattern = { a: { b: somewhere, c: somewhere, e: somewhere, f: somewhere, d: [{ exists: false }] } };
    const started = performance.now();
    expect(matchesEventPattern(pattern, event)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('ignores values nested deeper than 1000 levels instead of overflowing the stack', () => {
    const depth = 100_000;
    const event: unknown = JSON.parse(`{"a":${'['.repeat(depth)}1${']'.repeat(depth)}}`);
    expect(matchesEventPattern({ a: [{ exists: true }] }, event)).toBe(false);
    expect(matchesEventPattern({ a: [{ exists: true }] }, { a: [[[1]]] })).toBe(true);
  });
});

describe('compileEventPattern', () => {
  it('gives the same answers as matchesEventPattern', () => {
    const pattern = parseEventPattern({ detail: { category: ['delay', 'cancellation'], priority: [{ prefix: 'P' }] } });
    const matches = compileEventPattern(pattern);
    const events = [{ detail: { category: 'delay', priority: 'P2' } }, { detail: { category: 'meal', priority: 'P2' } }, {}];
    expect(events.map(matches)).toEqual(events.map((event) => matchesEventPattern(pattern, event)));
    expect(events.map(matches)).toEqual([true, false, false]);
  });

  it('walks a path shared by $or branches once and still answers each branch', () => {
    const matches = compileEventPattern({ $or: [{ a: ['1'], b: ['x'] }, { a: ['2'], b: ['x'] }] });
    expect(matches({ a: '2', b: 'x' })).toBe(true);
    expect(matches({ a: '3', b: 'x' })).toBe(false);
  });
});
