import { type Job, UnrecoverableError } from "bullmq";
import { processAwaitMerge } from "../../jobs/await-merge.js";
import { processCheck } from "../../jobs/check.js";
import type { CycleContext } from "../../jobs/cycle-context.js";
import { processKickoff, processTick } from "../../jobs/kickoff.js";
import { processLearn } from "../../jobs/learn.js";
import { processShip } from "../../jobs/ship.js";
import { processVerdict } from "../../jobs/verdict.js";
import { jobContext } from "../log/job-context.js";
import type { Attempts } from "./error-outcome.js";
import { isJobName, JOB_PAYLOADS, type JobName, type JobPayload } from "./job-payloads.js";

/**
 * Routes a job to its processor after validating its payload: a malformed payload will never
 * succeed, so it fails at once instead of using up its retries.
 */
export async function dispatchJob(base: CycleContext, job: Job, token?: string): Promise<string> {
  if (!isJobName(job.name)) throw new UnrecoverableError(`unknown job name "${job.name}"`);
  const parsed = JOB_PAYLOADS[job.name].safeParse(job.data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UnrecoverableError(
      `job ${job.id} (${job.name}): ${issue?.path.join(".")} ${issue?.message}`,
    );
  }
  const data = parsed.data as Record<string, unknown>;
  const fields = { jobId: job.id ?? "", job: job.name, ...weekAndExperiment(data) };
  const ctx: CycleContext = { ...base, logger: base.logger.child(fields) };
  const handler = HANDLERS[job.name] as Handler<typeof job.name>;
  // The adapters' log lines get the same fields through the logger's mixin.
  return jobContext.run(fields, () => handler(ctx, parsed.data as never, job, token));
}

type Handler<N extends JobName> = (
  ctx: CycleContext,
  data: JobPayload<N>,
  job: Job,
  token: string | undefined,
) => Promise<string>;

const HANDLERS: { [N in JobName]: Handler<N> } = {
  tick: (ctx, _data, job) => processTick(ctx, job),
  kickoff: (ctx, data) => processKickoff(ctx, data),
  ship: (ctx, data, job) => processShip(ctx, data, attemptsOf(job)),
  "await-merge": (ctx, data, job, token) =>
    processAwaitMerge(ctx, job, data, token, attemptsOf(job)),
  check: (ctx, data) => processCheck(ctx, data),
  verdict: (ctx, data, job) => processVerdict(ctx, data, attemptsOf(job)),
  learn: (ctx, data) => processLearn(ctx, data),
};

function attemptsOf(job: Job): Attempts {
  return { made: job.attemptsMade, allowed: job.opts.attempts ?? 1 };
}

/** Every log line of a cycle carries its week and, once there is one, its experiment. */
function weekAndExperiment(data: Record<string, unknown>): Record<string, string> {
  if (typeof data.week === "string") return { week: data.week };
  if (typeof data.experimentId !== "string") return {};
  // Experiment ids are `<week>--<item id>`.
  return { week: data.experimentId.split("--")[0] ?? "", experimentId: data.experimentId };
}
