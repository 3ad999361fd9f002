import * as z from '#contracts/zod';
import {
  ListDeadLettersOutput,
  RedriveDeadLettersOutput,
  type DeadLetterEntry,
} from '#infra/local/event-bus/server';
import { BusUnreachableError, REQUEST_TIMEOUT_MS, unreachable } from './bus-endpoint.ts';
import { formatEach, formatGroups, plural, type DeadLetterView } from './dead-letter-report.ts';

export interface RedriveCommand {
  /** The local event bus, e.g. http://127.0.0.1:4010. */
  url: string;
  /** Only these dead letters; every one when empty. */
  ids: string[];
  dryRun: boolean;
  out?: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
}

/**
 * `npx redress redrive`: list what is dead-lettered on the local bus (per rule and error code,
 * oldest first), then put it back on the bus unless this is a dry run. Resolves to the exit
 * status: 0 when everything asked for was redriven (or there was nothing), 1 when something was
 * skipped or the bus could not be reached.
 */
export async function runRedrive(command: RedriveCommand): Promise<number> {
  const out = command.out ?? process.stdout;
  const err = command.err ?? process.stderr;
  try {
    const { DeadLetters: all } = await callBus(command.url, 'ListDeadLetters', {}, ListDeadLettersOutput);
    const wanted = new Set(command.ids);
    const selected = wanted.size === 0 ? all : all.filter((deadLetter) => wanted.has(deadLetter.DeadLetterId));
    const missing = [...wanted].filter((id) => !all.some((deadLetter) => deadLetter.DeadLetterId === id));

    if (selected.length === 0 && missing.length === 0) {
      out.write(`nothing to redrive: no dead letters on the event bus at ${command.url}\n`);
      return 0;
    }
    if (selected.length > 0) {
      out.write(formatGroups(selected.map(view), { total: all.length, chosen: wanted.size > 0, where: `on the event bus at ${command.url}` }));
    }
    for (const id of missing) out.write(`not dead-lettered: ${id} (already redriven, or never written)\n`);

    if (command.dryRun) {
      out.write(formatEach(selected.map(view)));
      out.write(
        selected.length === 0
          ? 'dry run: nothing would be redriven\n'
          : `dry run: nothing redriven; run without --dry-run to redrive ${selected.length === 1 ? 'it' : `these ${selected.length}`}${wanted.size === 0 && selected.length > 1 ? ', or pick some with --id <id>' : ''}\n`,
      );
      return missing.length > 0 ? 1 : 0;
    }

    const result = await callBus(
      command.url,
      'RedriveDeadLetters',
      wanted.size === 0 ? {} : { DeadLetterIds: [...wanted] },
      RedriveDeadLettersOutput,
    );
    // An id missing from the listing is reported once, above; the bus says the same of it.
    const skipped = result.Skipped.filter((skip) => !missing.includes(skip.DeadLetterId));
    for (const skip of skipped) out.write(`skipped ${skip.DeadLetterId}: ${skip.Reason}\n`);
    if (result.Redriven === 0) {
      out.write('redrove nothing\n');
    } else {
      out.write(
        `redrove ${plural(result.Redriven, 'dead letter')}: back on the bus to the rule whose target failed, ` +
          'with the same event id and a fresh retry budget\n' +
          'delivery runs in the background; an event that fails again is dead-lettered under a new id ' +
          '(npx redress redrive --dry-run shows it)\n',
      );
    }
    return result.Skipped.length > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof BusUnreachableError || error instanceof BusRefusedError) {
      err.write(`redress: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** The bus answered, but with an error of its own (bad input, a failure writing its store). */
class BusRefusedError extends Error {
  override readonly name = 'BusRefusedError';
}

/**
 * One call to a local-only operation of the bus (server.ts): AWS JSON 1.1 over plain fetch, since
 * the EventBridge SDK has no commands for operations AWS does not have.
 */
async function callBus<S extends z.ZodMiniType>(url: string, operation: string, input: object, schema: S): Promise<z.infer<S>> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSEvents.${operation}` },
      body: JSON.stringify(input),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    text = await response.text();
  } catch (error) {
    throw unreachable(url, error);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const notTheBus = () =>
    new BusUnreachableError(
      `${url} answered ${operation} with HTTP ${response.status} and no result: it is not the local event bus of npm start ` +
        '(its "EventBridge" line shows the address). For a deployed stack, name its dead-letter queue instead: ' +
        '--queue-url <DeadLetterQueueUrl>.',
    );
  if (!response.ok) {
    const error = body as { __type?: unknown; message?: unknown } | undefined;
    if (typeof error?.__type !== 'string' || error.__type === 'UnknownOperationException') throw notTheBus();
    throw new BusRefusedError(`the event bus at ${url} refused ${operation}: ${error.__type}: ${String(error.message)}`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw notTheBus();
  return parsed.data;
}

/** The local bus's dead letter as the report shows it. */
function view(deadLetter: DeadLetterEntry): DeadLetterView {
  return {
    id: deadLetter.DeadLetterId,
    deadLetteredAt: deadLetter.DeadLetteredAt,
    rule: deadLetter.RuleName,
    errorCode: deadLetter.ErrorCode,
    errorMessage: deadLetter.ErrorMessage,
    retries: String(deadLetter.RetryAttempts),
    event: `${deadLetter.DetailType} ${deadLetter.EventId} from ${deadLetter.Source}`,
  };
}
