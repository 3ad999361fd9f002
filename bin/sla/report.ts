import { SlaReportResponse, type SlaReportRow } from '#contracts/support-api';
import { formatDuration, formatInstant, table } from './format.ts';
import { SupportApiError, supportApiClient } from './support-api-client.ts';

export interface SlaReportCommand {
  /** The HTTP API, e.g. http://127.0.0.1:3000. */
  url: string;
  token: string;
  from: Date;
  /** The API's default (now) when absent. */
  to?: Date;
  out?: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
}

/**
 * `npx redress sla`: the first-response SLA report (GET /api/reports/sla) as a table. Resolves to
 * the exit status: 0 when the report came, 1 when the API could not be reached or refused.
 */
export async function runSlaReport(command: SlaReportCommand): Promise<number> {
  const out = command.out ?? process.stdout;
  const err = command.err ?? process.stderr;
  const query = new URLSearchParams({ from: command.from.toISOString(), ...(command.to ? { to: command.to.toISOString() } : {}) });
  try {
    const report = await supportApiClient(command.url, command.token)(`/api/reports/sla?${query}`, SlaReportResponse);
    out.write(formatReport(report, command.url));
    return 0;
  } catch (error) {
    if (!(error instanceof SupportApiError)) throw error;
    err.write(`redress: ${error.message}\n`);
    return 1;
  }
}

export function formatReport(report: SlaReportResponse, url: string): string {
  const period = `tickets created from ${formatInstant(new Date(report.from))} to ${formatInstant(new Date(report.to))}`;
  const heading = `First-response SLA, ${period} (${url})\n\n`;
  if (report.rows.length === 0) return `${heading}  no tickets were created in this period in the queues this token works\n`;
  const header = ['queue', 'priority', 'tickets', 'met', 'breached', 'pending', '% met', 'median', 'p90'];
  const rows = report.rows.map((row: SlaReportRow) => [
    row.queue,
    row.priority,
    String(row.tickets),
    String(row.met),
    String(row.breached),
    String(row.pending),
    row.percentMet === null ? '-' : row.percentMet.toFixed(1),
    duration(row.medianFirstResponseSeconds),
    duration(row.p90FirstResponseSeconds),
  ]);
  return (
    heading +
    table(header, rows, [2, 3, 4, 5, 6, 7, 8]) +
    '\nmet: answered by the due time; breached: answered late, or marked by the SLA monitor; pending: neither yet.\n' +
    'median, p90: calendar time from the first post to the first agent reply (nearest rank), over the answered tickets.\n'
  );
}

const duration = (seconds: number | null) => (seconds === null ? '-' : formatDuration(seconds));
