import { DelayedError, type Job } from "bullmq";
import type { Attempts } from "../src/queue/error-outcome.js";
import type { JobPayload } from "../src/queue/job-payloads.js";
import { blockOrRethrow } from "./block-or-rethrow.js";
import type { CycleContext } from "./cycle-context.js";
import { endBeforeMeasuring } from "./end-early.js";
import { guardedWrite } from "./guarded-write.js";
import { resumeExperiment } from "./resume.js";
import { loadExperiment } from "./ship.js";
import { startMeasuring, windowMs } from "./start-measuring.js";

const MAX_POLL_MS = 60 * 60_000;

/**
 * Polls the pull request until it is merged (the gate split starts and measuring begins) or
 * closed unmerged (abandoned by review; the week moves to the next item). While it is open
 * the job puts itself back as delayed, polling less often the longer review takes.
 */
export async function processAwaitMerge(
  ctx: CycleContext,
  job: Job,
  data: JobPayload<"await-merge">,
  token: string | undefined,
  attempts?: Attempts,
): Promise<string> {
  try {
    return await awaitMerge(ctx, job, data, token);
  } catch (error) {
    if (error instanceof DelayedError) throw error;
    // A revoked key, a gate the SDK does not see, or a code host down through every retry.
    return blockOrRethrow(ctx, data.experimentId, error, attempts);
  }
}

async function awaitMerge(
  ctx: CycleContext,
  job: Job,
  data: JobPayload<"await-merge">,
  token: string | undefined,
): Promise<string> {
  const experiment = await loadExperiment(ctx, data.experimentId);
  if (experiment.status !== "awaiting-merge") {
    await resumeExperiment(ctx, experiment);
    return `already ${experiment.status}`;
  }
  const ship = experiment.ship;
  if (
    !ship?.pullRequestNumber ||
    !ship.branch ||
    !ship.pullRequestUrl ||
    ship.kind !== "pull-request"
  ) {
    throw new Error(`experiment ${experiment.id} awaits a merge but has no pull request recorded`);
  }
  const ref = {
    repo: ship.repo ?? "",
    number: ship.pullRequestNumber,
    url: ship.pullRequestUrl,
    branch: ship.branch,
  };
  const state = await ctx.codeHost.pullRequestState(ref);
  if (state === "closed") {
    await endBeforeMeasuring(
      ctx,
      experiment,
      "abandoned",
      `pull request ${ref.url} was closed without merging`,
    );
    return "abandoned by review";
  }
  if (state === "open") {
    const wait = pollDelay(windowMs(ctx, experiment), data.polls);
    await job.updateData({ ...data, polls: data.polls + 1 });
    await job.moveToDelayed(ctx.now().getTime() + wait, token);
    throw new DelayedError();
  }
  const gate = ship.gate ?? "";
  const { experiment: live } = await guardedWrite(ctx, experiment, "gate-split", async () => ({
    ...(await ctx.flags.ensureGateSplit({ gate, percent: experiment.item.split })),
  }));
  await startMeasuring(ctx, live);
  return `merged; gate ${gate} at ${experiment.item.split} %`;
}

/** A 70th of the window at first (minutes for a week), growing by half each poll, at most an hour. */
export function pollDelay(window: number, polls: number): number {
  return Math.min(MAX_POLL_MS, Math.max(100, window / 70) * 1.5 ** Math.min(polls, 20));
}
