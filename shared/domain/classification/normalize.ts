const HTML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", nbsp: ' ' };

/**
 * Social text as the rules read it: HTML entities decoded (X sends `&amp;`), URLs removed,
 * lower-cased, letters repeated three or more times squeezed to two ("sooooo" -> "soo",
 * "looong" -> "loong") so elongation does not hide a keyword, and white space folded.
 */
export function normalizeText(text: string): string {
  return text
    .replace(/&(amp|lt|gt|quot|apos|#39|nbsp);/g, (_, name: string) => HTML_ENTITIES[name] ?? '')
    .replace(/\bhttps?:\/\/\S+/gi, ' ')
    .toLowerCase()
    .replace(/(\p{L})\1{2,}/gu, '$1$1')
    .replace(/\s+/g, ' ')
    .trim();
}
