import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** A cell is one line, or several stacked in the same row (a top-5 list). */
export type Cell = string | readonly string[];

export interface Column {
  header: string;
  align: 'left' | 'right';
}

/**
 * One part of the bench: a table for people, the same numbers unrounded for results.json, and
 * notes for what a table cannot say. Later benches (classifier throughput) add sections.
 */
export interface Section {
  id: string;
  title: string;
  columns: Column[];
  rows: Cell[][];
  notes: string[];
  data: unknown;
}

export interface RunInfo {
  date: string;
  node: string;
  runs: number;
  [detail: string]: unknown;
}

export function renderSection(section: Section): string {
  const rows = section.rows.map((row) => section.columns.map((_, index) => linesOf(row[index])));
  const widths = section.columns.map((column, index) =>
    Math.max(column.header.length, ...rows.map((row) => Math.max(0, ...(row[index] ?? []).map((line) => line.length)))),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, index) => {
        const width = widths[index] ?? 0;
        return section.columns[index]?.align === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  const tall = rows.some((row) => row.some((cell) => cell.length > 1));
  const body = rows.flatMap((row, rowIndex) => {
    const height = Math.max(1, ...row.map((cell) => cell.length));
    const printed = Array.from({ length: height }, (_, lineIndex) => line(row.map((cell) => cell[lineIndex] ?? '')));
    return tall && rowIndex > 0 ? ['', ...printed] : printed;
  });
  const header = line(section.columns.map((column) => column.header));
  return [section.title, '', header, '-'.repeat(header.length), ...body, '', ...section.notes].join('\n');
}

export function renderReport(info: RunInfo, sections: readonly Section[]): string {
  const details = Object.entries(info)
    .filter(([key]) => !['date', 'node', 'runs'].includes(key))
    .map(([key, value]) => `${key}: ${String(value)}`);
  const footer = [`node ${info.node}`, `${info.runs} fresh processes per bundle`, info.date, ...details].join(' · ');
  return [...sections.map(renderSection), footer].join('\n\n');
}

export function writeResults(file: string, info: RunInfo, sections: readonly Section[]): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const json = { ...info, sections: sections.map(({ id, title, notes, data }) => ({ id, title, notes, data })) };
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
}

function linesOf(cell: Cell | undefined): readonly string[] {
  if (cell === undefined) return [''];
  return typeof cell === 'string' ? [cell] : cell;
}
