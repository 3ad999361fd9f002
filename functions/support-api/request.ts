import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { IfMatch, SlaReportQuery, TicketId } from '#contracts/support-api';
import * as z from '#contracts/zod';
import { NotFoundError, PreconditionRequiredError, ValidationError } from '#domain/errors';
import { reportPeriod, type ReportPeriod } from '#domain/sla/sla-report';
import { rawBody } from '#platforms/raw-body';
import { parseWith, readJson } from '#middleware/validation';

/** A reply's JSON is a few KB; this leaves room for 20,000 characters written as \u escapes. */
const MAX_BODY_BYTES = 256 * 1024;

/** The `{id}` path parameter; an id no ticket can have is answered like an unknown one. */
export function ticketIdOf(event: APIGatewayProxyEventV2): string {
  const id = event.pathParameters?.id ?? '';
  // Not echoed: it is whatever the caller put in the URL.
  if (!TicketId.safeParse(id).success) throw new NotFoundError('no ticket with that id (ticket ids look like tkt_0a1b2c3d4e5f6g7h)');
  return id;
}

/** The version named by `If-Match`, which every change to a ticket must carry. */
export function versionOf(event: APIGatewayProxyEventV2): number {
  const header = headerOf(event, 'if-match');
  if (header === undefined) {
    throw new PreconditionRequiredError(
      'a change to a ticket needs If-Match with the version you read: send the ETag of GET /api/tickets/{id}, e.g. If-Match: "3"',
    );
  }
  const parsed = IfMatch.safeParse(header);
  if (!parsed.success) {
    throw new ValidationError('If-Match must be the version from the ticket\'s ETag, e.g. "3"', [
      { path: 'If-Match', message: parsed.error.issues[0]?.message ?? 'not a version' },
    ]);
  }
  return parsed.data;
}

/** `?from=&to=` of the SLA report: ISO 8601 instants, `to` now unless given; 400 naming the field otherwise. */
export function reportPeriodOf(event: APIGatewayProxyEventV2, now: Date): ReportPeriod {
  const query = parseWith(SlaReportQuery, event.queryStringParameters ?? {}, 'the query string');
  return reportPeriod(new Date(query.from), query.to === undefined ? now : new Date(query.to));
}

/** The JSON request body, in the shape `schema` describes; 400 naming the fields otherwise. */
export function jsonBody<Schema extends z.ZodMiniType>(event: APIGatewayProxyEventV2, schema: Schema, what: string): z.infer<Schema> {
  const raw = rawBody(event, MAX_BODY_BYTES);
  if (raw.length === 0) throw new ValidationError(`${what} needs a JSON body`, [{ path: '(root)', message: 'a JSON object is required' }]);
  let document: unknown;
  try {
    document = readJson(raw, what);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new ValidationError(error.message, [{ path: '(root)', message: 'not valid JSON' }]);
  }
  return parseWith(schema, document, what);
}

/** HTTP API passes header names in lower case; a direct invocation may not. */
function headerOf(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const headers = event.headers ?? {};
  return headers[name] ?? Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
}
