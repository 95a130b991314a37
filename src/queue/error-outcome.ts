import { UnrecoverableError } from "bullmq";
import { isShiploopError, type ShiploopError } from "../domain/errors.js";

export type ErrorOutcome =
  | { action: "block"; reason: string; code: string }
  | { action: "retry" }
  | { action: "fail"; error: UnrecoverableError };

/**
 * The one place that decides what an error means for a job:
 * a user error blocks the experiment with its message (a person must fix something);
 * a permanent error fails the job without further attempts;
 * anything else (a transient fault, an unknown error) is retried by BullMQ with backoff.
 */
export function errorOutcome(error: unknown): ErrorOutcome {
  if (isShiploopError(error)) return outcomeOf(error);
  return { action: "retry" };
}

function outcomeOf(error: ShiploopError): ErrorOutcome {
  switch (error.kind) {
    case "user":
      return { action: "block", reason: error.message, code: error.code };
    case "permanent":
      return { action: "fail", error: new UnrecoverableError(`${error.code}: ${error.message}`) };
    case "transient":
      return { action: "retry" };
  }
}
