import { type Attempts, errorOutcome } from "../src/queue/error-outcome.js";
import type { JobPayload } from "../src/queue/job-payloads.js";
import { killPoint } from "../src/queue/kill-point.js";
import { verdictComment } from "../src/render/verdict-comment.js";
import { decideVerdict } from "../src/stats/index.js";
import { applyDecision } from "./apply-decision.js";
import type { CycleContext } from "./cycle-context.js";
import { delayVerdict } from "./delay-verdict.js";
import { guardedWrite } from "./guarded-write.js";
import { judge, verdictRecord } from "./judge.js";
import { recordVerdict } from "./record-verdict.js";
import { resumeExperiment } from "./resume.js";
import { loadExperiment } from "./ship.js";

/**
 * At the end of the window: measure, decide by the pre-registered rule, apply the decision,
 * tell the pull request, and record the verdict. Each external write is guarded, so a crash
 * anywhere here ends, after the retry, in exactly one applied decision and one verdict.
 */
export async function processVerdict(
  ctx: CycleContext,
  data: JobPayload<"verdict">,
  attempts?: Attempts,
): Promise<string> {
  try {
    return await reachVerdict(ctx, data);
  } catch (error) {
    const outcome = errorOutcome(error, attempts);
    if (outcome.action === "retry") throw error;
    if (outcome.action === "fail") throw outcome.error;
    return delayVerdict(ctx, data, outcome.reason);
  }
}

async function reachVerdict(ctx: CycleContext, data: JobPayload<"verdict">): Promise<string> {
  let experiment = await loadExperiment(ctx, data.experimentId);
  if (experiment.status !== "measuring") {
    await resumeExperiment(ctx, experiment);
    return `already ${experiment.status}`;
  }
  const due = new Date(experiment.verdictDueAt ?? ctx.now().toISOString());
  // Measure up to the end of the window, not "now", so a late or retried job sees the same data.
  const judgement = judge(experiment, await ctx.metrics.measure(experiment, due), "fixed");
  const verdict = decideVerdict(judgement.args);
  killPoint("verdict:after-analyze");
  const reason = verdict.reasons.join("; ");
  // The decision is stored with the write that applied it: a retry after a crash keeps what
  // was applied even if a live source's late data would now tip the rule the other way.
  const applied = await guardedWrite(ctx, experiment, "apply-verdict", async () => ({
    ...(await applyDecision(ctx, experiment, verdict.decision, reason)),
    ...verdict,
  }));
  experiment = applied.experiment;
  const decided = applied.result;
  const now = ctx.now();
  const record = verdictRecord(
    judgement,
    { decision: decided.decision, rule: decided.rule, reasons: decided.reasons, early: false },
    decided.applied,
    now,
  );
  const ship = experiment.ship;
  if (ship?.pullRequestNumber && ship.pullRequestUrl && ship.branch) {
    const ref = {
      repo: ship.repo ?? "",
      number: ship.pullRequestNumber,
      url: ship.pullRequestUrl,
      branch: ship.branch,
    };
    experiment = (
      await guardedWrite(ctx, experiment, "verdict-comment", async () => {
        await ctx.codeHost.ensureComment(ref, "verdict", verdictComment(experiment, record));
        return { posted: true };
      })
    ).experiment;
  }
  await recordVerdict(ctx, experiment, record, decided.rule, now);
  ctx.logger.info(
    { decision: decided.decision, lift: record.primary.relativeLift },
    `verdict: ${decided.decision}`,
  );
  return `${decided.decision} (${decided.rule})`;
}
