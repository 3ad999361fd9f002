// Decides one $or-free rule against an event, keeping array consistency (spec §1.3): the values
// chosen for the rule's fields may not come from different elements of the same array, and
// exists:false is judged inside the elements the other fields matched in.
import type { ArrayStep, FieldPath, LeafValues } from './event-values.ts';
import type { Scalar } from './pattern-shape.ts';
import type { LeafMatcher } from './read-leaf.ts';

export interface RuleField {
  readonly path: FieldPath;
  readonly leaf: LeafMatcher;
}

interface FieldChoices {
  readonly found: LeafValues;
  /** Indexes into `found` of the values the leaf accepts. */
  readonly matching: readonly number[];
  readonly matchesAbsence: boolean;
  /** The outermost arrays the field's values sit in; fields sharing none cannot constrain each other. */
  readonly outerArrays: ReadonlySet<readonly unknown[]>;
}

export function ruleMatches(fields: readonly RuleField[], valuesAt: (path: FieldPath) => LeafValues): boolean {
  const entangled: FieldChoices[] = [];
  for (const { path, leaf } of fields) {
    const found = valuesAt(path);
    if (found.trails.every((trail) => trail === null)) {
      if (!matchesAlone(leaf, found.values)) return false;
      continue;
    }
    const choices = fieldChoices(found, leaf);
    if (choices.matching.length === 0 && !choices.matchesAbsence) return false;
    entangled.push(choices);
  }
  if (entangled.length === 0) return true;
  return groupBySharedArrays(entangled).map(withoutEquivalentChoices).every(satisfiable);
}

// A field whose values share no array with the rest is free to pick any matching value, and is
// absent only if it has no values at all.
function matchesAlone(leaf: LeafMatcher, values: readonly Scalar[]): boolean {
  return values.some(leaf.test) || (leaf.matchesAbsence && values.length === 0);
}

function fieldChoices(found: LeafValues, leaf: LeafMatcher): FieldChoices {
  const matching: number[] = [];
  const outerArrays = new Set<readonly unknown[]>();
  for (const [index, value] of found.values.entries()) {
    if (leaf.test(value)) matching.push(index);
    const outer = outermost(found.trails[index] ?? null);
    if (outer !== null) outerArrays.add(outer.array);
  }
  return { found, matching, matchesAbsence: leaf.matchesAbsence, outerArrays };
}

function outermost(trail: ArrayStep | null): ArrayStep | null {
  let step = trail;
  while (step?.outer) step = step.outer;
  return step;
}

// Two values that share any array share its outermost one too (paths in a tree), so grouping by
// outermost array splits the fields into independent groups and keeps the search below small.
function groupBySharedArrays(fields: readonly FieldChoices[]): FieldChoices[][] {
  const groups: FieldChoices[][] = [];
  for (const field of fields) {
    const joined = groups.filter((group) => group.some((other) => sharesAny(field.outerArrays, other.outerArrays)));
    const merged = [field, ...joined.flat()];
    for (const group of joined) groups.splice(groups.indexOf(group), 1);
    groups.push(merged);
  }
  return groups;
}

function sharesAny<T>(left: ReadonlySet<T>, right: ReadonlySet<T>): boolean {
  for (const item of left) if (right.has(item)) return true;
  return false;
}

// Values of a field that sit in the same elements of every array another field also reaches are
// interchangeable for the search; keeping one of each bounds it by the shared arrays' sizes
// instead of the product of every nested array's size.
function withoutEquivalentChoices(group: readonly FieldChoices[]): readonly FieldChoices[] {
  if (group.length === 1) return group;
  const shared = arraysOfSeveralFields(group);
  return group.map((field) => {
    const seen = new Set<string>();
    const matching: number[] = [];
    for (const index of field.matching) {
      const key = sharedSteps(field.found.trails[index] ?? null, shared);
      if (seen.has(key)) continue;
      seen.add(key);
      matching.push(index);
    }
    return { ...field, matching };
  });
}

/** Numbers each array that values of more than one field of the group pass through. */
function arraysOfSeveralFields(group: readonly FieldChoices[]): Map<readonly unknown[], number> {
  const fieldCounts = new Map<readonly unknown[], number>();
  for (const field of group) {
    const arrays = new Set<readonly unknown[]>();
    for (const trail of field.found.trails) {
      for (let step = trail; step !== null; step = step.outer) arrays.add(step.array);
    }
    for (const array of arrays) fieldCounts.set(array, (fieldCounts.get(array) ?? 0) + 1);
  }
  const shared = new Map<readonly unknown[], number>();
  for (const [array, count] of fieldCounts) if (count > 1) shared.set(array, shared.size);
  return shared;
}

function sharedSteps(trail: ArrayStep | null, shared: ReadonlyMap<readonly unknown[], number>): string {
  let key = '';
  for (let step = trail; step !== null; step = step.outer) {
    const id = shared.get(step.array);
    if (id !== undefined) key += `${id}:${step.index},`;
  }
  return key;
}

/** Whether each field of the group can take a matching value, or be absent, consistently. */
function satisfiable(group: readonly FieldChoices[]): boolean {
  const chosen: (ArrayStep | null)[] = [];
  const absent: FieldChoices[] = [];
  const chooseFrom = (position: number): boolean => {
    const field = group[position];
    if (field === undefined) return absent.every((missing) => !hasValueInReach(missing, chosen));
    for (const index of field.matching) {
      const trail = field.found.trails[index] ?? null;
      if (!consistentWithAll(trail, chosen)) continue;
      chosen.push(trail);
      if (chooseFrom(position + 1)) return true;
      chosen.pop();
    }
    if (!field.matchesAbsence) return false;
    absent.push(field);
    if (chooseFrom(position + 1)) return true;
    absent.pop();
    return false;
  };
  return chooseFrom(0);
}

// §1.3: exists:false holds when every value of the field sits in some other element than the
// ones the other fields were matched in.
function hasValueInReach(field: FieldChoices, chosen: readonly (ArrayStep | null)[]): boolean {
  return field.found.trails.some((trail) => consistentWithAll(trail, chosen));
}

function consistentWithAll(trail: ArrayStep | null, chosen: readonly (ArrayStep | null)[]): boolean {
  return chosen.every((other) => consistent(trail, other));
}

function consistent(left: ArrayStep | null, right: ArrayStep | null): boolean {
  for (let a = left; a !== null; a = a.outer) {
    for (let b = right; b !== null; b = b.outer) {
      if (a.array === b.array && a.index !== b.index) return false;
    }
  }
  return true;
}
