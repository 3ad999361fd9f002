/**
 * Errors the domain and the boundaries raise on purpose. They know nothing of HTTP; the error
 * middleware maps each class to a status once (shared/middleware/http-errors.ts).
 */
export class DomainError extends Error {
  override readonly name: string = 'DomainError';
}

/** Input that does not fit a contract; `issues` name the fields. */
export class ValidationError extends DomainError {
  override readonly name = 'ValidationError';
  constructor(
    message: string,
    readonly issues: Array<{ path: string; message: string }> = [],
  ) {
    super(message);
  }
}

/** The caller could not be identified (no token, a bad token, a bad webhook signature). */
export class AuthenticationError extends DomainError {
  override readonly name = 'AuthenticationError';
}

/** The caller is known but may not do this (a queue outside the agent's groups). */
export class AccessDeniedError extends DomainError {
  override readonly name = 'AccessDeniedError';
}

export class NotFoundError extends DomainError {
  override readonly name = 'NotFoundError';
}

/** A request body larger than the boundary accepts. */
export class PayloadTooLargeError extends DomainError {
  override readonly name = 'PayloadTooLargeError';
}

/** Events could not be handed to the bus; whoever asked must not report success (and may retry). */
export class PublishError extends DomainError {
  override readonly name = 'PublishError';
  constructor(
    message: string,
    /** Positions, in the list given to publish, of the events that may not have been handed on. */
    readonly unpublished: number[] = [],
  ) {
    super(message);
  }
}

/**
 * The request does not fit the resource's current state: a stale `If-Match` version, or a
 * change the ticket's status does not allow (replying to a solved ticket). The message says which.
 */
export class ConflictError extends DomainError {
  override readonly name = 'ConflictError';
  constructor(
    message: string,
    /** The version the resource is at now, when the conflict is a stale version. */
    readonly currentVersion?: number,
  ) {
    super(message);
  }
}

/** A change was asked for without saying which version it applies to (`If-Match`). */
export class PreconditionRequiredError extends DomainError {
  override readonly name = 'PreconditionRequiredError';
}

/** The same thing is being done by another request right now; the caller should retry shortly. */
export class InProgressError extends DomainError {
  override readonly name = 'InProgressError';
}

/** The resource exists but not with this method (webhook routes take POST, and GET for handshakes). */
export class MethodNotAllowedError extends DomainError {
  override readonly name = 'MethodNotAllowedError';
  constructor(
    message: string,
    readonly allowed: string[],
  ) {
    super(message);
  }
}
