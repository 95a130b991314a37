import { advanceExperiment } from "../src/domain/advance-experiment.js";
import type { ExperimentRecord } from "../src/domain/experiment.js";
import { killPoint } from "../src/queue/kill-point.js";
import type { CycleContext } from "./cycle-context.js";

/**
 * Ends an experiment that never reached measuring — blocked (a person must fix something) or
 * abandoned (a reviewer closed its pull request) — frees its surface, and hands the week to
 * the next item.
 */
export async function endBeforeMeasuring(
  ctx: CycleContext,
  experiment: ExperimentRecord,
  status: "blocked" | "abandoned",
  reason: string,
): Promise<void> {
  let ended = experiment;
  if (experiment.status !== status) {
    ended = await ctx.ledger.saveExperiment(
      advanceExperiment(experiment, status, ctx.now(), { blockedReason: reason }, reason),
      { releaseSurface: true },
    );
  }
  killPoint("end-early:after-record");
  ctx.logger.warn({ reason }, `experiment ${status}; the week moves to the next item`);
  await handWeekOn(ctx, ended);
}

/**
 * Names the ended item as blocked in its week and queues the week's next kickoff attempt.
 * Safe to repeat (the attempt's job id follows from the blocked list), so a step that finds
 * its experiment already ended calls it again: a crash right after the record was stored
 * does not lose the week.
 */
export async function handWeekOn(ctx: CycleContext, ended: ExperimentRecord): Promise<void> {
  const week = (await ctx.ledger.getWeek(ended.week)) ?? {
    week: ended.week,
    kickedAt: ctx.now().toISOString(),
    blocked: [],
  };
  const blocked = week.blocked.includes(ended.itemId)
    ? week.blocked
    : [...week.blocked, ended.itemId];
  if (week.experimentId === ended.id || blocked !== week.blocked) {
    await ctx.ledger.saveWeek({ ...week, experimentId: undefined, blocked });
  }
  await ctx.queue.kickoff(ended.week, blocked.length);
}
