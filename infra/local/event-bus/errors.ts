/**
 * An error the EventBridge API returns as a whole-request failure. The server turns it into the
 * AWS JSON 1.1 error shape (`{"__type": code, "message": ...}`), and the SDK raises the exception
 * class named by `code` (spec §3, §4, §5).
 */
export class EventBusApiError extends Error {
  override readonly name = 'EventBusApiError';

  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus = 400,
  ) {
    super(message);
  }
}

export function validationError(message: string): EventBusApiError {
  return new EventBusApiError('ValidationException', message);
}
