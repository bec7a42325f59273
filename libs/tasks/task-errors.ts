/** A refused submission or call, with the HTTP status that fits it. */
export class TaskRequestError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 429,
    message: string,
  ) {
    super(message);
  }
}
