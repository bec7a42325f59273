/**
 * The platform's error vocabulary: one code per kind of refusal, the same in an
 * HTTP error body (`{statusCode, code, message, requestId}`) and in a websocket
 * error frame (`{"handler":"error","data":{code, message}}`).
 */
export type ErrorCode =
  | 'bad_request'
  | 'invalid_params'
  | 'unauthorized'
  | 'forbidden'
  | 'capability_missing'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'rate_limited'
  | 'unavailable'
  | 'internal'
  // websocket protocol
  | 'bad_json'
  | 'bad_frame'
  | 'unknown_handler'
  | 'bad_topic';

/** The HTTP status each code answers with when it is not given. */
export const STATUS_OF: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid_params: 400,
  unauthorized: 401,
  forbidden: 403,
  capability_missing: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
  bad_json: 400,
  bad_frame: 400,
  unknown_handler: 404,
  bad_topic: 400,
};

/** The code an HTTP status maps to, for errors raised as plain Nest HttpExceptions. */
export function codeOfStatus(status: number): ErrorCode {
  switch (status) {
    case 400: return 'bad_request';
    case 401: return 'unauthorized';
    case 403: return 'forbidden';
    case 404: return 'not_found';
    case 409: return 'conflict';
    case 413: return 'payload_too_large';
    case 429: return 'rate_limited';
    case 503: return 'unavailable';
    default: return status >= 500 ? 'internal' : 'bad_request';
  }
}

/** A refusal with a code, an HTTP status and a message a person can act on. Throw it from controllers, handlers, tasks. */
export class BrickyardError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    status?: number,
  ) {
    super(message);
    this.name = 'BrickyardError';
    this.status = status ?? STATUS_OF[code];
  }
}

export function isBrickyardError(error: unknown): error is BrickyardError {
  return error instanceof BrickyardError;
}
