import { advanceExperiment } from "../src/domain/advance-experiment.js";
import type { ExperimentRecord, VerdictRecord } from "../src/domain/experiment.js";
import { verdictsByDecision } from "../src/observability/metrics-registry.js";
import { killPoint } from "../src/queue/kill-point.js";
import type { CycleContext } from "./cycle-context.js";

/**
 * Ends a measured experiment with its verdict — decided at the end of the window, or rolled
 * back early by a daily check — freeing its surface; then counts it, tells telemetry and
 * queues learning from it. Called once the decision has been applied.
 */
export async function recordVerdict(
  ctx: CycleContext,
  experiment: ExperimentRecord,
  verdict: VerdictRecord,
  note: string,
  now: Date,
): Promise<void> {
  const status = verdict.early ? "rolled-back" : "decided";
  await ctx.ledger.saveExperiment(
    advanceExperiment(experiment, status, now, { verdict, verdictDelayed: undefined }, note),
    { releaseSurface: true, verdictAt: now },
  );
  killPoint("verdict:after-record");
  verdictsByDecision.inc({ decision: verdict.decision, early: String(verdict.early) });
  ctx.telemetry.capture("shiploop verdict reached", {
    experimentId: experiment.id,
    week: experiment.week,
    item: experiment.itemId,
    stage: experiment.item.stage,
    lift: verdict.primary.relativeLift,
    decision: verdict.decision,
    early: verdict.early,
  });
  await ctx.queue.learn(experiment.id);
}
