import { advanceExperiment } from "../src/domain/advance-experiment.js";
import { parseDuration } from "../src/domain/duration.js";
import { DAYS_PER_WINDOW, type ExperimentRecord } from "../src/domain/experiment.js";
import type { CycleContext } from "./cycle-context.js";

export const DAILY_CHECKS = DAYS_PER_WINDOW - 1;

/** The item's own window, else the configured one. */
export function windowMs(ctx: CycleContext, experiment: ExperimentRecord): number {
  const own = experiment.item.window ? parseDuration(experiment.item.window) : undefined;
  return own ?? ctx.config.windowMs;
}

/** The change is live at its split: measuring starts now and the verdict is due a window later. */
export async function startMeasuring(
  ctx: CycleContext,
  experiment: ExperimentRecord,
): Promise<ExperimentRecord> {
  const now = ctx.now();
  const measuring = await ctx.ledger.saveExperiment(
    advanceExperiment(experiment, "measuring", now, {
      measuringSince: now.toISOString(),
      verdictDueAt: new Date(now.getTime() + windowMs(ctx, experiment)).toISOString(),
    }),
  );
  await scheduleMeasurement(ctx, measuring);
  return measuring;
}

/** Queues the daily checks and the verdict as delayed jobs: they live in Redis, not in a timer. */
export async function scheduleMeasurement(
  ctx: CycleContext,
  experiment: ExperimentRecord,
): Promise<void> {
  if (!experiment.measuringSince || !experiment.verdictDueAt) return;
  const start = Date.parse(experiment.measuringSince);
  const due = Date.parse(experiment.verdictDueAt);
  const now = ctx.now().getTime();
  const day = (due - start) / DAYS_PER_WINDOW;
  for (let d = 1; d <= DAILY_CHECKS; d++) {
    await ctx.queue.check(experiment.id, d, Math.max(0, start + d * day - now));
  }
  const delayed = experiment.verdictDelayed;
  if (delayed) {
    await ctx.queue.verdict(
      experiment.id,
      Math.max(0, Date.parse(delayed.retryAt) - now),
      delayed.rounds,
    );
  } else {
    await ctx.queue.verdict(experiment.id, Math.max(0, due - now));
  }
}
