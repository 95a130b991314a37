import { observeVerdict } from "../src/backlog/observe-verdict.js";
import type { JobPayload } from "../src/queue/job-payloads.js";
import type { CycleContext } from "./cycle-context.js";
import { loadExperiment } from "./ship.js";

/**
 * Feeds a verdict back: one observation per item (estimate next to measurement). Next week's
 * planner folds all observations into priors, so recording twice changes nothing.
 */
export async function processLearn(ctx: CycleContext, data: JobPayload<"learn">): Promise<string> {
  const experiment = await loadExperiment(ctx, data.experimentId);
  const verdict = experiment.verdict;
  if (!verdict) return `no verdict yet (${experiment.status})`;
  const item = experiment.item;
  const observation = observeVerdict(item, verdict.primary, verdict.decision, verdict.decidedAt);
  await ctx.ledger.recordObservation(observation);
  await ctx.ledger.setMeta({ lastLearnedAt: ctx.now().toISOString(), lastLearnedItem: item.id });
  ctx.logger.info({ observedLift: observation.observedLift }, "learned from verdict");
  return `learned from ${item.id}`;
}
