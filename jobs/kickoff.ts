import type { Job } from "bullmq";
import {
  type ExperimentRecord,
  experimentIdFor,
  type WeekRecord,
} from "../src/domain/experiment.js";
import { isoWeekOf } from "../src/domain/iso-week.js";
import { cyclesStarted } from "../src/observability/metrics-registry.js";
import type { JobPayload } from "../src/queue/job-payloads.js";
import { killPoint } from "../src/queue/kill-point.js";
import type { CycleContext } from "./cycle-context.js";
import { resumeExperiment } from "./resume.js";

/** The scheduler's tick: tiny on purpose — it only enqueues the week's kickoff under its own id. */
export async function processTick(ctx: CycleContext, job: Job): Promise<string> {
  const week = isoWeekOf(scheduledFor(job), ctx.config.tz);
  await ctx.queue.kickoff(week);
  return week;
}

/**
 * When a scheduler's job was meant to run. BullMQ creates the next run's job as the current
 * one starts, so its `timestamp` is a week early; the run time is `opts.prevMillis`.
 */
function scheduledFor(job: Job): Date {
  return new Date(job.opts.prevMillis ?? job.timestamp + (job.opts.delay ?? 0));
}

/**
 * Plans a week: if it already has a live experiment, make sure it moves on; otherwise rank the
 * backlog and start the best item whose surface is free. Creating the experiment also claims
 * the surface and names it in the week record, in one atomic step.
 */
export async function processKickoff(
  ctx: CycleContext,
  data: JobPayload<"kickoff">,
): Promise<string> {
  const { week } = data;
  const log = ctx.logger;
  const now = ctx.now();
  const existing = await ctx.ledger.getWeek(week);
  if (existing?.experimentId) {
    const experiment = await ctx.ledger.getExperiment(existing.experimentId);
    if (experiment && experiment.status !== "blocked" && experiment.status !== "abandoned") {
      await resumeExperiment(ctx, experiment);
      return `week ${week} already runs ${experiment.id}`;
    }
  }
  const weekRecord: WeekRecord = existing ?? { week, kickedAt: now.toISOString(), blocked: [] };
  await ctx.ledger.setMeta({ lastKickoffAt: now.toISOString(), lastKickoffWeek: week });

  const { candidates, invalidFiles } = await ctx.planner.rank(week);
  if (invalidFiles > 0)
    log.warn(
      { invalidFiles },
      "some backlog files are invalid and were skipped; run shiploop validate",
    );
  for (const candidate of candidates) {
    const record: ExperimentRecord = {
      id: experimentIdFor(week, candidate.item.id),
      week,
      itemId: candidate.item.id,
      item: candidate.item,
      status: "planned",
      history: [{ status: "planned", at: now.toISOString(), note: candidate.why }],
      pickedBecause: candidate.why,
      score: candidate.score,
      writes: {},
      checks: [],
      version: 0,
    };
    const created = await ctx.ledger.createExperiment(
      record,
      { ...weekRecord, idleReason: undefined },
      now,
    );
    if (created.outcome === "surface-busy") {
      log.info(
        { itemId: candidate.item.id, surface: candidate.item.surface, owner: created.owner },
        "surface busy; next item",
      );
      continue;
    }
    killPoint("kickoff:after-create");
    if (created.outcome === "created") cyclesStarted.inc();
    await ctx.queue.ship(created.record.id);
    log.info(
      { experimentId: created.record.id, score: candidate.score, why: candidate.why },
      "picked this week's item",
    );
    return `week ${week} picked ${candidate.item.id}`;
  }
  const idleReason =
    candidates.length === 0 ? "no eligible backlog item" : "every eligible item's surface is busy";
  await ctx.ledger.saveWeek({ ...weekRecord, idleReason });
  log.warn({ idleReason }, "nothing ships this week");
  return `week ${week} idle: ${idleReason}`;
}
