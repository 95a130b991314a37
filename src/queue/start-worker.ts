import { type Job, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { CycleContext } from "../../jobs/cycle-context.js";
import { hashTaggedPrefix } from "../ledger/ledger-keys.js";
import { jobDurations } from "../observability/metrics-registry.js";
import { dispatchJob } from "./dispatch-job.js";
import { CYCLE_QUEUE } from "./job-payloads.js";
import { cycleBackoffStrategy } from "./retry-backoff.js";

/**
 * Runs the cycle's jobs. Any number of workers may share a Redis; BullMQ hands each job to one.
 * `connection` may be shared: BullMQ duplicates it for the connections it blocks on.
 */
export function startWorker(
  ctx: CycleContext,
  connection: Redis,
  isRedisDown: () => boolean = () => false,
): Worker {
  const { config, logger } = ctx;
  const worker = new Worker(CYCLE_QUEUE, (job, token) => dispatchJob(ctx, job, token), {
    connection,
    prefix: hashTaggedPrefix(config.prefix),
    concurrency: 4,
    lockDuration: config.lockMs,
    stalledInterval: Math.max(500, Math.floor(config.lockMs / 2)),
    // A job whose worker died is taken over this many times before it counts as failed.
    maxStalledCount: 3,
    settings: { backoffStrategy: cycleBackoffStrategy },
  });
  worker.on("completed", (job, result) => {
    observeDuration(job, "ok");
    logger.info({ jobId: job.id, job: job.name, result }, "job done");
  });
  worker.on("failed", (job, error) => {
    if (job) observeDuration(job, "failed");
    logger.error(
      { jobId: job?.id, job: job?.name, attempt: job?.attemptsMade, err: error },
      `job failed: ${error.message}`,
    );
  });
  worker.on("error", (error) => {
    // A lost connection is reported once by the connector; repeating it per retry helps nobody.
    if (isRedisDown()) return;
    logger.error({ err: error }, "worker error");
  });
  return worker;
}

function observeDuration(job: Job, outcome: "ok" | "failed"): void {
  if (job.processedOn === undefined) return;
  const seconds = ((job.finishedOn ?? Date.now()) - job.processedOn) / 1000;
  jobDurations.observe({ job: job.name, outcome }, seconds);
}

/**
 * Stops taking jobs and waits up to `timeoutMs` for the running ones; past that the worker is
 * closed by force, and the unfinished job goes back to the queue when its lock expires (each
 * step is safe to run again).
 */
export async function stopWorker(worker: Worker, timeoutMs: number): Promise<"drained" | "forced"> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"forced">((resolve) => {
    timer = setTimeout(() => resolve("forced"), timeoutMs);
  });
  const outcome = await Promise.race([worker.close().then(() => "drained" as const), timedOut]);
  clearTimeout(timer);
  if (outcome === "forced") await worker.close(true);
  return outcome;
}
