import type { JobPayload } from "../src/queue/job-payloads.js";
import type { CycleContext } from "./cycle-context.js";
import { loadExperiment } from "./ship.js";

/** How long an overdue verdict waits before its next round of attempts. */
export const VERDICT_ROUND_DELAY_MS = 60 * 60_000;

/**
 * Every attempt of a verdict round failed (the metrics source is down, a key was revoked).
 * The change stays live at its split and its surface stays held: giving up would leave it
 * running with nobody deciding. So the delay goes on the record, where `status` and the
 * pages show it, and the next round is queued an hour later, as often as it takes.
 */
export async function delayVerdict(
  ctx: CycleContext,
  data: JobPayload<"verdict">,
  reason: string,
): Promise<string> {
  const experiment = await loadExperiment(ctx, data.experimentId);
  if (experiment.status !== "measuring") return `already ${experiment.status}`;
  const now = ctx.now();
  const rounds = data.round + 1;
  const retryAt = new Date(now.getTime() + VERDICT_ROUND_DELAY_MS);
  await ctx.ledger.saveExperiment({
    ...experiment,
    verdictDelayed: { reason, at: now.toISOString(), retryAt: retryAt.toISOString(), rounds },
  });
  await ctx.queue.verdict(experiment.id, VERDICT_ROUND_DELAY_MS, rounds);
  ctx.logger.error(
    { reason, rounds, retryAt: retryAt.toISOString() },
    "verdict overdue; trying again later",
  );
  return `verdict delayed: ${reason}`;
}
