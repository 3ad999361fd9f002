// The error every invalid pattern raises, worded like the service's InvalidEventPatternException
// (../../../shared/specs/eventbridge.md §3), so the local emulator can pass it through unchanged.
export class InvalidEventPatternError extends Error {
  override readonly name = 'InvalidEventPatternError';
  readonly reason: string;

  constructor(reason: string) {
    super(`Event pattern is not valid. Reason: ${reason}`);
    this.reason = reason;
  }
}

export function invalid(reason: string): never {
  throw new InvalidEventPatternError(reason);
}
