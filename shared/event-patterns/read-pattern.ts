// Reads a pattern's structure into $or-free rules of dot-joined field paths (spec §1.1, §2.10).
import { invalid } from './invalid-pattern-error.ts';
import { isPatternObject } from './pattern-shape.ts';
import { type LeafMatcher, readLeaf } from './read-leaf.ts';

export interface PatternField {
  /** §1.1: the pattern keys down to this leaf, joined with `.`. */
  readonly path: string;
  readonly leaf: LeafMatcher;
}

/** One alternative of the pattern: every field must match (AND). */
export type PatternRule = readonly PatternField[];

// §2.10: the service refuses patterns whose $or arrays multiply out to more than 1000 rules.
const MAX_COMBINATIONS = 1000;

// Guards the recursion against hand-built objects; a 4096-character pattern nests at most ~820 deep.
const MAX_NESTING = 1000;

// §2.10: operator keywords cannot be field names inside $or, where they would be read as fields.
const RESERVED_INSIDE_OR = new Set([
  'anything-but', 'cidr', 'equals-ignore-case', 'exists', 'numeric', 'prefix', 'suffix', 'wildcard',
  '=', '<', '<=', '>', '>=',
]);

interface ReadState {
  combinations: number;
}

/** The pattern's alternatives: the event matches the pattern when it matches any of them. */
export function readPattern(pattern: unknown): PatternRule[] {
  if (!isPatternObject(pattern)) invalid('Filter is not an object');
  return readObject(pattern, '', 0, false, { combinations: 1 });
}

function readObject(
  object: Record<string, unknown>,
  prefix: string,
  depth: number,
  insideOr: boolean,
  state: ReadState,
): PatternRule[] {
  if (depth > MAX_NESTING) invalid(`Event pattern is nested more than ${MAX_NESTING} levels deep`);
  const keys = Object.keys(object);
  if (keys.length === 0) invalid('Empty objects are not allowed');
  let rules: PatternRule[] = [[]];
  for (const key of keys) {
    const alternatives = key === '$or'
      ? readOr(object[key], prefix, depth, state)
      : readField(key, object[key], prefix, depth, insideOr, state);
    rules = allPairs(rules, alternatives);
  }
  return rules;
}

function readField(
  key: string,
  value: unknown,
  prefix: string,
  depth: number,
  insideOr: boolean,
  state: ReadState,
): PatternRule[] {
  if (insideOr && RESERVED_INSIDE_OR.has(key)) {
    invalid(`${key} is Ruler reserved fieldName which cannot be used inside $or.`);
  }
  const path = prefix + key;
  if (Array.isArray(value)) return [[{ path, leaf: readLeaf(value) }]];
  if (isPatternObject(value)) return readObject(value, `${path}.`, depth + 1, insideOr, state);
  invalid(`"${key}" must be an object or an array`);
}

// §2.10: each branch is a sub-pattern at the current level; branches stay separate alternatives,
// so fields from different branches never combine.
function readOr(branches: unknown, prefix: string, depth: number, state: ReadState): PatternRule[] {
  if (!Array.isArray(branches)) invalid('$or must be followed by an array of objects');
  if (branches.length < 2) invalid('$or must contain at least 2 objects');
  state.combinations *= branches.length;
  if (state.combinations > MAX_COMBINATIONS) {
    invalid(`$or produces more than ${MAX_COMBINATIONS} rule combinations`);
  }
  return branches.flatMap((branch) => {
    if (!isPatternObject(branch)) invalid('$or must contain only objects');
    return readObject(branch, prefix, depth + 1, true, state);
  });
}

function allPairs(left: readonly PatternRule[], right: readonly PatternRule[]): PatternRule[] {
  return left.flatMap((first) => right.map((second) => [...first, ...second]));
}
