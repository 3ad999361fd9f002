import { readFileSync } from 'node:fs';
import { ValidationError } from '#domain/errors';

/** A payload from test/fixtures/x/, as the exact bytes X would POST. */
export function xFixture(name: string): Buffer {
  return readFileSync(new URL(`../../../fixtures/x/${name}`, import.meta.url));
}

export const BRAND_ID = '1072583649001988096';
export const NOW = new Date('2026-11-22T10:00:00.000Z');
export const CONSUMER_SECRET = 'kYqZ2hR7nW0pLm4TsVx8bC3dE6fG9jA1oQ5uI2yN0rK7tHwP';
export const PREVIOUS_CONSUMER_SECRET = 'Zp3VbQ8mL1xT6sW0nR4yK9cF2hJ7gD5aE8uO1iN3tY6vB0qM';

/** The field issues of the ValidationError `attempt` throws; fails when it throws nothing or something else. */
export function issuesOf(attempt: () => unknown): ValidationError['issues'] {
  try {
    attempt();
  } catch (error) {
    if (error instanceof ValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected a ValidationError, and nothing was thrown');
}
