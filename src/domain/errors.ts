/**
 * Every error shiploop raises on purpose carries a code. What a code means for a job
 * (block the experiment, retry, give up) is decided in one place: `src/queue/error-outcome.ts`.
 */
export type ErrorKind = "user" | "transient" | "permanent";

export abstract class ShiploopError extends Error {
  abstract readonly kind: ErrorKind;
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Something the user can fix: a bad setting, a bad backlog file, a patch that no longer applies. */
export class UserError extends ShiploopError {
  readonly kind = "user";
}

/** Worth another try later: a timeout, a 5xx, a rate limit. */
export class TransientError extends ShiploopError {
  readonly kind = "transient";
}

/** Will fail the same way every time, and is not the user's to fix: a bug or a broken contract. */
export class PermanentError extends ShiploopError {
  readonly kind = "permanent";
}

export function isShiploopError(error: unknown): error is ShiploopError {
  return error instanceof ShiploopError;
}
