// Finds the leaf values an event holds at a pattern path (spec §1.1–§1.3): keys joined with `.`,
// arrays expanded element by element, and for each value the array elements it was reached through,
// which array consistency (§1.3) needs.
import { isScalar, type Scalar } from './pattern-shape.ts';

/** One array element on the way from the event root to a value, innermost first. */
export interface ArrayStep {
  readonly array: readonly unknown[];
  readonly index: number;
  readonly outer: ArrayStep | null;
}

/** The values at one path, with the array steps of each (`null` when reached through no array). */
export interface LeafValues {
  readonly values: Scalar[];
  readonly trails: (ArrayStep | null)[];
}

/**
 * A dot-joined path, prepared for lookup. `keys[start]` lists the candidate event keys beginning at
 * segment `start`: `keys[0]` of `a.b.c` is `["a", "a.b", "a.b.c"]`, because §1.1 lets an event spell
 * the path with dotted keys too.
 */
export interface FieldPath {
  /** Numbers the distinct paths of one pattern, so a match can remember what it already collected. */
  readonly id: number;
  readonly keys: readonly (readonly string[])[];
}

// §4: the service processes event JSON only up to 1000 levels; deeper values are not reached.
const MAX_DEPTH = 1000;

export function fieldPath(path: string, id: number): FieldPath {
  const segments = path.split('.');
  const keys = segments.map((_, start) => segments.slice(start).map((__, length) =>
    segments.slice(start, start + length + 1).join('.')));
  return { id, keys };
}

export function collectLeafValues(event: unknown, path: FieldPath): LeafValues {
  const found: LeafValues = { values: [], trails: [] };
  // A non-object event has no fields, so only exists:false can match it.
  if (isEventObject(event)) visitObject(event, 0, null, 0, path, found);
  return found;
}

function visitObject(
  node: Record<string, unknown>,
  segment: number,
  trail: ArrayStep | null,
  depth: number,
  path: FieldPath,
  found: LeafValues,
): void {
  const candidates = path.keys[segment] ?? [];
  const lastSegment = path.keys.length - 1;
  for (const [extra, key] of candidates.entries()) {
    if (!Object.hasOwn(node, key)) continue;
    const next = segment + extra + 1;
    if (next > lastSegment) collectValues(node[key], trail, depth + 1, found);
    else visitChild(node[key], next, trail, depth + 1, path, found);
  }
}

// §1.3: arrays of objects are crushed out, one level after another.
function visitChild(
  value: unknown,
  segment: number,
  trail: ArrayStep | null,
  depth: number,
  path: FieldPath,
  found: LeafValues,
): void {
  if (depth > MAX_DEPTH) return;
  if (Array.isArray(value)) {
    for (const [index, element] of value.entries()) {
      visitChild(element, segment, { array: value, index, outer: trail }, depth + 1, path, found);
    }
  } else if (isEventObject(value)) {
    visitObject(value, segment, trail, depth, path, found);
  }
}

// §1.2: only scalars are values; an object is an intermediate node and an empty array adds nothing.
function collectValues(value: unknown, trail: ArrayStep | null, depth: number, found: LeafValues): void {
  if (depth > MAX_DEPTH) return;
  if (Array.isArray(value)) {
    for (const [index, element] of value.entries()) {
      collectValues(element, { array: value, index, outer: trail }, depth + 1, found);
    }
  } else if (isScalar(value)) {
    found.values.push(value);
    found.trails.push(trail);
  }
}

function isEventObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
