import type { ExperimentRecord } from "../src/domain/experiment.js";
import type { CycleContext } from "./cycle-context.js";
import { handWeekOn } from "./end-early.js";
import { scheduleMeasurement } from "./start-measuring.js";

/**
 * Makes sure the job that moves an experiment on from its current status is queued. Every
 * step calls this when it finds the experiment already past it (a retry, a duplicate kick),
 * so a crash between "stored the new status" and "queued the next job" heals itself.
 * Job ids are deterministic, so queuing what already exists is a no-op.
 */
export async function resumeExperiment(
  ctx: CycleContext,
  experiment: ExperimentRecord,
): Promise<void> {
  switch (experiment.status) {
    case "planned":
    case "shipping":
      await ctx.queue.ship(experiment.id);
      return;
    case "awaiting-merge":
      await ctx.queue.awaitMerge(experiment.id);
      return;
    case "measuring":
      await scheduleMeasurement(ctx, experiment);
      return;
    case "decided":
    case "rolled-back":
      await ctx.queue.learn(experiment.id);
      return;
    case "blocked":
    case "abandoned":
      await handWeekOn(ctx, experiment);
      return;
  }
}
