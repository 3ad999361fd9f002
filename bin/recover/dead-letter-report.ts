/**
 * How `npx redress redrive` shows dead letters, wherever they wait: the local bus's store or the
 * deployed stack's SQS queue. Each source maps its dead letters to this view; the tables are the same.
 */
export interface DeadLetterView {
  /** What --id takes: the local bus's dead letter id, or the SQS message id. */
  id: string;
  /** Epoch seconds. */
  deadLetteredAt: number;
  /** The rule whose delivery failed. */
  rule: string;
  /** The target that failed, where there can be more than one per rule; a column only when some dead letter has one. */
  target?: string;
  errorCode: string;
  errorMessage: string;
  /** How many retries were spent, as the dead letter says; "-" when it does not say. */
  retries: string;
  /** The event, in a few words: `Post.Classified <id> from redress.ingest`. */
  event: string;
}

export interface GroupsHeading {
  /** How many dead letters there are in all, when some were chosen with --id. */
  total: number;
  chosen: boolean;
  /** Where they are: `on the event bus at <url>`, `in the queue <url>`. */
  where: string;
}

/** Dead letters listed one by one in a dry run up to this many; beyond that the groups say enough. */
const LISTED = 50;

interface Group {
  rule: string;
  target: string;
  errorCode: string;
  count: number;
  oldest: number;
  message: string;
}

/** A count per rule (and target) and error code, with the oldest time and first message of each. Expects oldest first. */
export function formatGroups(deadLetters: readonly DeadLetterView[], heading: GroupsHeading): string {
  // The list is oldest first, so each group's first dead letter is its oldest, and groups come
  // out in the order of their oldest.
  const groups = new Map<string, Group>();
  for (const deadLetter of deadLetters) {
    const key = [deadLetter.rule, deadLetter.target ?? '', deadLetter.errorCode].join('\u0000');
    const group = groups.get(key);
    if (group) group.count += 1;
    else {
      groups.set(key, {
        rule: deadLetter.rule,
        target: deadLetter.target ?? '',
        errorCode: deadLetter.errorCode,
        count: 1,
        oldest: deadLetter.deadLetteredAt,
        message: deadLetter.errorMessage,
      });
    }
  }
  const targets = deadLetters.some((deadLetter) => deadLetter.target !== undefined);
  const by = targets ? 'by rule, target and error' : 'by rule and error';
  const title = heading.chosen
    ? `${deadLetters.length} of the ${plural(heading.total, 'dead letter')} ${heading.where} (chosen with --id), ${by}, oldest first:`
    : `${plural(deadLetters.length, 'dead letter')} ${heading.where}, ${by}, oldest first:`;
  const rows = [...groups.values()].map((group) => [
    group.rule,
    ...(targets ? [group.target] : []),
    group.errorCode,
    String(group.count),
    time(group.oldest),
    truncate(group.message, 72),
  ]);
  const header = ['rule', ...(targets ? ['target'] : []), 'error code', 'count', 'oldest', 'first error'];
  return `${title}\n${table(header, rows, [header.indexOf('count')])}`;
}

/** One line per dead letter (the first 50), with the id --id takes. */
export function formatEach(deadLetters: readonly DeadLetterView[]): string {
  if (deadLetters.length === 0) return '';
  const targets = deadLetters.some((deadLetter) => deadLetter.target !== undefined);
  const rows = deadLetters
    .slice(0, LISTED)
    .map((deadLetter) => [
      deadLetter.id,
      time(deadLetter.deadLetteredAt),
      deadLetter.rule,
      ...(targets ? [deadLetter.target ?? ''] : []),
      deadLetter.errorCode,
      deadLetter.retries,
      deadLetter.event,
    ]);
  const header = ['dead letter id', 'dead-lettered', 'rule', ...(targets ? ['target'] : []), 'error code', 'retries', 'event'];
  const more = deadLetters.length > LISTED ? `  ... and ${deadLetters.length - LISTED} more\n` : '';
  return `\n${table(header, rows, [header.indexOf('retries')])}${more}\n`;
}

/** Left-aligned columns two spaces apart; the columns in `right` are right-aligned (numbers). */
function table(header: string[], rows: string[][], right: number[] = []): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) =>
    `  ${cells
      .map((cell, column) => (column === cells.length - 1 ? cell : right.includes(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')}\n`;
  return [header, ...rows].map(line).join('');
}

const time = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const truncate = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
export const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
