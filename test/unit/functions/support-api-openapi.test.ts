import { describe, expect, it } from 'vitest';
import { routeKey, routes } from '#infra/topology';
import { documentedRouteKeys, openApiDocument } from '../../../functions/support-api/openapi.ts';
import { supportRoutes } from '../../../functions/support-api/routes.ts';
import { DEFAULT_SLA } from '#test/support/sla';

// The document's shape; that every answer fits it is held in support-api.test.ts, which checks
// each response the handler gives there against the schema documented for its route and status.
const document = openApiDocument() as Record<string, any>;
const supportRouteKeys = routes.filter((route) => route.function === 'supportApi').map(routeKey);
type Operation = { method: string; path: string; operation: Record<string, any> };
const operations: Operation[] = Object.entries(document.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
  Object.entries(item).map(([method, operation]) => ({ method, path, operation })),
);
const operationFor = (key: string) => {
  const [method, path] = key.split(' ') as [string, string];
  return document.paths[path]?.[method.toLowerCase()] as Record<string, any>;
};

/** What a local $ref points at in the document. */
function resolve(ref: string): unknown {
  expect(ref).toMatch(/^#\//);
  return ref
    .slice(2)
    .split('/')
    .reduce<any>((node, part) => node?.[part.replaceAll('~1', '/').replaceAll('~0', '~')], document);
}
const parameters = (operation: Record<string, any>) =>
  ((operation.parameters ?? []) as Array<Record<string, any>>).map((parameter) => (parameter.$ref ? (resolve(parameter.$ref) as Record<string, any>) : parameter));

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with a title and version', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
  });

  it('describes every support route infra/topology.ts declares, and no other', () => {
    const documented = operations.map(({ method, path }) => `${method.toUpperCase()} ${path}`);
    expect(documented.sort()).toEqual([...supportRouteKeys].sort());
    expect([...documentedRouteKeys].sort()).toEqual([...supportRouteKeys].sort());
  });

  it('is served by a function that handles exactly those routes', () => {
    const handled = supportRoutes({ tickets: {} as never, events: {} as never, reports: {} as never, queues: [], now: () => new Date(), sla: DEFAULT_SLA });
    expect(Object.keys(handled).sort()).toEqual([...supportRouteKeys].sort());
    for (const route of routes.filter((candidate) => candidate.function === 'supportApi')) {
      expect(handled[routeKey(route)]?.auth, routeKey(route)).toBe(route.auth);
    }
  });

  it('asks for a bearer token on every route but its own, as the JWT authorizer does', () => {
    expect(document.components.securitySchemes.agentToken).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(document.security).toEqual([{ agentToken: [] }]);
    for (const route of routes.filter((candidate) => candidate.function === 'supportApi')) {
      const security = operationFor(routeKey(route)).security;
      if (route.auth === 'none') expect(security, routeKey(route)).toEqual([]);
      else expect(security, routeKey(route)).toBeUndefined();
    }
  });

  it('has a unique operationId and a summary for each operation', () => {
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { operation } of operations) expect(operation.summary).toEqual(expect.any(String));
  });

  it('declares each path template parameter as a required path parameter', () => {
    for (const { path, operation } of operations) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      const declared = parameters(operation).filter((parameter) => parameter.in === 'path');
      expect(declared.map((parameter) => parameter.name).sort(), path).toEqual(names.sort());
      for (const parameter of declared) expect(parameter.required).toBe(true);
    }
  });

  it('documents the queue listing query: status, limit and cursor, all optional strings', () => {
    const query = parameters(operationFor('GET /api/queues/{queue}/tickets')).filter((parameter) => parameter.in === 'query');
    expect(query.map((parameter) => [parameter.name, parameter.required, parameter.schema.type])).toEqual([
      ['status', false, 'string'],
      ['limit', false, 'string'],
      ['cursor', false, 'string'],
    ]);
  });

  it('lists the SLA report: from required and to optional, both ISO 8601 date-time strings, answered with rows or 400, 401', () => {
    const operation = operationFor('GET /api/reports/sla');
    expect(operation).toMatchObject({ operationId: 'getSlaReport', summary: expect.any(String) });
    expect(operation.description).toMatch(/nearest-rank/);
    const query = parameters(operation).filter((parameter) => parameter.in === 'query');
    expect(query.map((parameter) => [parameter.name, parameter.required, parameter.schema.type, parameter.schema.format])).toEqual([
      ['from', true, 'string', 'date-time'],
      ['to', false, 'string', 'date-time'],
    ]);
    expect(Object.keys(operation.responses).sort()).toEqual(['200', '400', '401']);
    expect(operation.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/SlaReportResponse' });
    const row = document.components.schemas.SlaReportRow;
    expect(Object.keys(row.properties)).toEqual([
      'queue',
      'priority',
      'tickets',
      'met',
      'breached',
      'pending',
      'percentMet',
      'medianFirstResponseSeconds',
      'p90FirstResponseSeconds',
    ]);
  });

  it.each(supportRouteKeys.filter((key) => key.startsWith('POST ')))('requires If-Match on %s and answers the new version in ETag', (key) => {
    const operation = operationFor(key);
    const ifMatch = parameters(operation).find((parameter) => parameter.in === 'header' && parameter.name === 'If-Match');
    expect(ifMatch).toMatchObject({ required: true, schema: { type: 'string' } });
    expect(new RegExp(ifMatch!.schema.pattern).test('"3"')).toBe(true);
    expect(new RegExp(ifMatch!.schema.pattern).test('W/"3"')).toBe(true);
    const success = key.endsWith('/replies') ? '202' : '200';
    expect(Object.keys(operation.responses).sort()).toEqual([success, '400', '401', '403', '404', '409', '428'].sort());
    expect(Object.keys(operation.responses[success].headers)).toEqual(['ETag']);
  });

  it('answers GET /api/tickets/{id} with the ticket view and its ETag, or 401, 403, 404', () => {
    const operation = operationFor('GET /api/tickets/{id}');
    expect(Object.keys(operation.responses).sort()).toEqual(['200', '401', '403', '404']);
    expect(operation.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/TicketViewResponse' });
    expect(Object.keys(operation.responses['200'].headers)).toEqual(['ETag']);
  });

  it('takes a reply as a JSON body whose text is a required, non-empty string', () => {
    const body = operationFor('POST /api/tickets/{id}/replies').requestBody;
    expect(body.required).toBe(true);
    const schema = resolve(body.content['application/json'].schema.$ref) as Record<string, any>;
    expect(schema).toMatchObject({ type: 'object', required: ['text'], properties: { text: { type: 'string', minLength: 1 } } });
  });

  it('describes the error body once, with the fields of a 400 and the current version of a 409', () => {
    const error = document.components.schemas.ErrorResponse;
    expect(error.required.sort()).toEqual(['error', 'message']);
    expect(Object.keys(error.properties)).toEqual(expect.arrayContaining(['fields', 'currentVersion']));
    for (const name of ['BadRequest', 'Forbidden', 'NotFound', 'Conflict', 'PreconditionRequired']) {
      expect(document.components.responses[name].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ErrorResponse' });
    }
  });

  it('has every $ref point at something in the document', () => {
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"([^"]+)"/g)].map((match) => match[1]!);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of new Set(refs)) expect(resolve(ref), ref).toBeDefined();
  });

  it("gives its schemas in the document's own dialect (JSON Schema 2020-12), without identities of their own", () => {
    for (const [name, schema] of Object.entries(document.components.schemas as Record<string, Record<string, unknown>>)) {
      expect(schema.$schema, name).toBeUndefined();
      expect(schema.$id, name).toBeUndefined();
    }
  });
});
