import type { MiddlewareObj } from '@middy/core';
import * as z from '#contracts/zod';
import { ValidationError } from '#domain/errors';

/** Parses a value at a boundary, turning zod's issues into a ValidationError with field paths. */
export function parseWith<Schema extends z.ZodMiniType>(schema: Schema, value: unknown, what: string): z.infer<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
  throw new ValidationError(`${what} does not match the expected shape`, issues);
}

/** Parses a JSON document (a request body) and then its shape. */
export function parseJson<Schema extends z.ZodMiniType>(schema: Schema, raw: Buffer | string, what: string): z.infer<Schema> {
  return parseWith(schema, readJson(raw, what), what);
}

/** A JSON document, or a ValidationError saying why it is not one. */
export function readJson(raw: Buffer | string, what: string): unknown {
  try {
    return JSON.parse(raw.toString());
  } catch (error) {
    throw new ValidationError(`${what} is not valid JSON: ${jsonSyntaxReason(error)}`);
  }
}

/**
 * Why JSON.parse failed, without the excerpt of the input V8 puts in some messages
 * (`Unexpected token 'x', "...text..." is not valid JSON`): error messages reach logs, and a
 * body may hold personal data.
 */
export function jsonSyntaxReason(error: unknown): string {
  if (error instanceof RangeError) return 'it is nested too deeply';
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/, ".*" is not valid JSON$/s, '');
}

/** Replaces the incoming event with its parsed form; an event that does not fit fails the invocation. */
export function validEvent<Schema extends z.ZodMiniType>(schema: Schema, what: string): MiddlewareObj<unknown> {
  return {
    before: (request) => {
      request.event = parseWith(schema, request.event, what);
    },
  };
}
