import type { MinimalJob } from "bullmq";
import { isShiploopError } from "../domain/errors.js";

/** The backoff type of cycle jobs; the worker's `backoffStrategy` gives it meaning. */
export const RETRY_BACKOFF_TYPE = "shiploop";

/** Another worker moved the experiment meanwhile: re-reading it is all a retry needs. */
const CONFLICT_DELAY_MS = { min: 50, spread: 250 };

/**
 * How long a failed cycle job waits before its next attempt. A ledger conflict is retried
 * almost at once (with jitter, so two jobs that collided do not collide again); anything else
 * backs off exponentially from the job's `backoff.delay`, as BullMQ's own "exponential" would.
 */
export function retryDelay(
  attemptsMade: number,
  error: Error | undefined,
  baseDelayMs: number,
  random: () => number = Math.random,
): number {
  if (isShiploopError(error) && error.code === "ledger-conflict") {
    return CONFLICT_DELAY_MS.min + Math.floor(random() * CONFLICT_DELAY_MS.spread);
  }
  return Math.round(2 ** Math.max(0, attemptsMade - 1) * baseDelayMs);
}

/** BullMQ's `settings.backoffStrategy` for the cycle worker. */
export function cycleBackoffStrategy(
  attemptsMade: number,
  _type: string | undefined,
  error: Error | undefined,
  job: MinimalJob | undefined,
): number {
  const backoff = job?.opts.backoff;
  const base = typeof backoff === "object" ? (backoff.delay ?? 0) : (backoff ?? 0);
  return retryDelay(attemptsMade, error, base);
}
