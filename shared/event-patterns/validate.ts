// Validates EventBridge event patterns as PutRule and TestEventPattern do (spec §1–§3).
import { InvalidEventPatternError } from './invalid-pattern-error.ts';
import { readPattern } from './read-pattern.ts';

export { InvalidEventPatternError } from './invalid-pattern-error.ts';

/** A pattern that parseEventPattern has accepted. */
export type EventPattern = Record<string, unknown>;

// §3: the API model caps EventPattern at 4096 characters (the default quota of 2048 is raisable).
const MAX_PATTERN_LENGTH = 4096;

/**
 * Accepts a pattern as JSON text or as parsed JSON data and returns it, or throws
 * InvalidEventPatternError for anything the service would refuse, and for nothing else.
 */
export function parseEventPattern(input: unknown): EventPattern {
  try {
    const pattern = typeof input === 'string' ? parseJsonText(input) : input;
    readPattern(pattern);
    if (typeof input !== 'string') checkLength(JSON.stringify(pattern));
    return pattern as EventPattern;
  } catch (error) {
    if (error instanceof InvalidEventPatternError) throw error;
    // Hand-built objects can still fail in ways JSON cannot (throwing getters, BigInt, cycles).
    throw new InvalidEventPatternError(`Event pattern is not JSON data: ${describe(error)}`);
  }
}

function parseJsonText(text: string): unknown {
  checkLength(text);
  try {
    return JSON.parse(text);
  } catch (error) {
    // §3: malformed JSON is reported like any other invalid pattern, with the parser's message.
    throw new InvalidEventPatternError(`Malformed JSON: ${describe(error)}`);
  }
}

function checkLength(text: string): void {
  if (text.length > MAX_PATTERN_LENGTH) {
    throw new InvalidEventPatternError(`Event pattern is longer than ${MAX_PATTERN_LENGTH} characters`);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : 'unexpected error';
}
