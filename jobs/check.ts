import type { DailyCheck } from "../src/domain/experiment.js";
import type { JobPayload } from "../src/queue/job-payloads.js";
import { killPoint } from "../src/queue/kill-point.js";
import { checkEarlyRollback } from "../src/stats/index.js";
import { applyDecision } from "./apply-decision.js";
import type { CycleContext } from "./cycle-context.js";
import { guardedWrite } from "./guarded-write.js";
import { judge, verdictRecord } from "./judge.js";
import { recordVerdict } from "./record-verdict.js";
import { loadExperiment } from "./ship.js";

/**
 * The daily look while measuring: sample-ratio mismatch, a primary significantly worse, or a
 * breached guardrail rolls the change back early. Uses the sequential method, whose intervals
 * stay valid however often we peek; it never ships early.
 */
export async function processCheck(ctx: CycleContext, data: JobPayload<"check">): Promise<string> {
  const experiment = await loadExperiment(ctx, data.experimentId);
  if (experiment.status !== "measuring") return `not measuring (${experiment.status})`;
  const log = ctx.logger.child({ day: data.day });
  const now = ctx.now();
  const judgement = judge(experiment, await ctx.metrics.measure(experiment, now), "sequential");
  const early = checkEarlyRollback(judgement.args);
  killPoint("check:after-analyze");
  const check: DailyCheck = {
    day: data.day,
    at: now.toISOString(),
    users: judgement.users.reduce((sum, v) => sum + v.users, 0),
    relativeLift: judgement.primary.relativeLift,
    ci: judgement.primary.ci,
    srmPValue: judgement.srm.pValue,
    action: early.rollback ? "rollback" : "continue",
  };
  await ctx.ledger.recordCheck(experiment.id, check);
  if (!early.rollback) {
    log.info({ lift: check.relativeLift, users: check.users }, "daily check: continue");
    return "continue";
  }
  const reason = early.reasons.join("; ");
  const { experiment: applied, result } = await guardedWrite(ctx, experiment, "apply-verdict", () =>
    applyDecision(ctx, experiment, "rollback", reason),
  );
  const verdict = verdictRecord(
    judgement,
    { decision: "rollback", rule: early.rule, reasons: early.reasons, early: true },
    result.applied,
    now,
  );
  await recordVerdict(ctx, applied, verdict, reason, now);
  log.warn({ rule: early.rule, reasons: early.reasons }, "rolled back early");
  return `rolled back early: ${early.rule}`;
}
