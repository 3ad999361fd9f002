// The wildcard operator (spec §2.6): `*` matches any run of characters, anchored at both ends,
// with `\*` and `\\` as the only escapes.
import { invalid } from './invalid-pattern-error.ts';
import type { StringTest } from './value-test.ts';

export function wildcardTest(pattern: string): StringTest {
  const pieces = literalPieces(pattern);
  if (pieces.length === 1) {
    const [whole] = pieces;
    return (value) => value === whole;
  }
  return (value) => matchesPieces(value, pieces);
}

/** The literal text between the unescaped stars, escapes resolved: `a*b\*c` gives `["a", "b*c"]`. */
function literalPieces(pattern: string): string[] {
  const pieces: string[] = [];
  let piece = '';
  let afterStar = false;
  for (let pos = 0; pos < pattern.length; pos++) {
    const char = pattern[pos];
    if (char === '*') {
      if (afterStar) invalid(`Consecutive wildcard characters at pos ${pos}`);
      pieces.push(piece);
      piece = '';
      afterStar = true;
      continue;
    }
    afterStar = false;
    if (char === '\\') {
      const escaped = pattern[pos + 1];
      if (escaped !== '*' && escaped !== '\\') invalid(`Invalid escape character at pos ${pos}`);
      piece += escaped;
      pos++;
      continue;
    }
    piece += char;
  }
  pieces.push(piece);
  return pieces;
}

// With `*` as the only metacharacter, taking the leftmost fit for each middle piece never loses a
// match, so this stays linear-time instead of backtracking.
function matchesPieces(value: string, pieces: readonly string[]): boolean {
  const first = pieces[0] ?? '';
  const last = pieces[pieces.length - 1] ?? '';
  const end = value.length - last.length;
  if (end < first.length || !value.startsWith(first) || !value.endsWith(last)) return false;
  let from = first.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const piece = pieces[i] ?? '';
    const at = value.indexOf(piece, from);
    if (at < 0 || at + piece.length > end) return false;
    from = at + piece.length;
  }
  return true;
}
