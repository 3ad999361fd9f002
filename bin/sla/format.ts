/**
 * A duration as people read one on a dashboard, to whole seconds: `42s`, `4m12s`, `1h02m`,
 * `2d03h`. Beyond a minute the smaller unit is two digits, so a column of them lines up.
 */
export function formatDuration(seconds: number): string {
  const total = Math.round(Math.abs(seconds));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const secs = total % 60;
  const two = (value: number) => String(value).padStart(2, '0');
  if (days > 0) return `${days}d${two(hours)}h`;
  if (hours > 0) return `${hours}h${two(minutes)}m`;
  if (minutes > 0) return `${minutes}m${two(secs)}s`;
  return `${secs}s`;
}

/** Columns two spaces apart, indented two; the columns in `right` are right-aligned (numbers). */
export function table(header: string[], rows: string[][], right: readonly number[] = []): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) =>
    `  ${cells
      .map((cell, column) => (right.includes(column) ? cell.padStart(widths[column]!) : column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')}\n`;
  return [header, ...rows].map(line).join('');
}

/** At most `max` characters, on one line: a preview must not break the table. */
export function truncate(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/** RFC 3339 to the second. */
export function formatInstant(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
