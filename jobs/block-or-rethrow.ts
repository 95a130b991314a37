import type { ExperimentStatus } from "../src/domain/experiment.js";
import { type Attempts, errorOutcome } from "../src/queue/error-outcome.js";
import type { CycleContext } from "./cycle-context.js";
import { endBeforeMeasuring } from "./end-early.js";
import { resumeExperiment } from "./resume.js";
import { loadExperiment } from "./ship.js";

const BEFORE_MEASURING: ReadonlySet<ExperimentStatus> = new Set([
  "planned",
  "shipping",
  "awaiting-merge",
]);

/**
 * What a step before measuring (ship, await-merge) does with an error: BullMQ retries it or
 * fails the job, or — a person must fix something, or every retry is used up — the experiment
 * is blocked with the reason and the week moves on. The stored record may have moved on during
 * the attempt, so the latest one is ended; one already past measuring's start is resumed instead.
 */
export async function blockOrRethrow(
  ctx: CycleContext,
  experimentId: string,
  error: unknown,
  attempts: Attempts | undefined,
): Promise<string> {
  const outcome = errorOutcome(error, attempts);
  if (outcome.action === "retry") throw error;
  if (outcome.action === "fail") throw outcome.error;
  const latest = await loadExperiment(ctx, experimentId);
  if (!BEFORE_MEASURING.has(latest.status)) {
    await resumeExperiment(ctx, latest);
    return `already ${latest.status}`;
  }
  await endBeforeMeasuring(ctx, latest, "blocked", outcome.reason);
  return `blocked: ${outcome.reason}`;
}
