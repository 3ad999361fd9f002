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
  let value: unknown;
  try {
    value = JSON.parse(raw.toString());
  } catch (error) {
    throw new ValidationError(`${what} is not valid JSON: ${(error as Error).message}`);
  }
  return parseWith(schema, value, what);
}

/** Replaces the incoming event with its parsed form; an event that does not fit fails the invocation. */
export function validEvent<Schema extends z.ZodMiniType>(schema: Schema, what: string): MiddlewareObj<unknown> {
  return {
    before: (request) => {
      request.event = parseWith(schema, request.event, what);
    },
  };
}
