import { UnrecoverableError } from "bullmq";
import { isShiploopError, type ShiploopError } from "../domain/errors.js";

export type ErrorOutcome =
  | { action: "block"; reason: string; code: string }
  | { action: "retry" }
  | { action: "fail"; error: UnrecoverableError };

/** Where a job is in its retries: `made` attempts before this one, `allowed` in all. */
export interface Attempts {
  made: number;
  allowed: number;
}

/**
 * The one place that decides what an error means for a job:
 * a user error is a "block" with its message (a person must fix something);
 * a permanent error fails the job without further attempts;
 * anything else (a transient fault, an unknown error) is retried by BullMQ with backoff —
 * and on the last attempt it is a "block" too, with the reason on record. What a block does
 * is the step's: before measuring the item is blocked and the week moves on
 * (`jobs/block-or-rethrow.ts`); the verdict is tried again in an hour (`jobs/delay-verdict.ts`).
 */
export function errorOutcome(error: unknown, attempts?: Attempts): ErrorOutcome {
  const outcome = isShiploopError(error) ? outcomeOf(error) : ({ action: "retry" } as const);
  if (outcome.action === "retry" && attempts && attempts.made + 1 >= attempts.allowed) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      action: "block",
      reason: `gave up after ${attempts.allowed} attempts: ${message}`,
      code: "retries-exhausted",
    };
  }
  return outcome;
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
