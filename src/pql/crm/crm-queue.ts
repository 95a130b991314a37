import { Queue, UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { errorOutcome } from "../../queue/error-outcome.js";
import { pqlQueuePrefix } from "../pql-keys.js";
import { CrmRateLimited } from "./pql-crm.js";
import { type PushDeps, type PushSummary, pushPending } from "./push-pending.js";

export const PQL_CRM_QUEUE = "pql-crm";
const FLUSH_ID = "pql-crm-flush";

/**
 * The CRM push queue. A job is "flush": push the oldest pending qualifications in one batch.
 * Deduplicated so that at most one flush runs and one waits; the qualifications themselves live
 * in Redis (the pending set), so nothing is lost when a job fails or a worker dies.
 */
export class CrmQueue {
  readonly queue: Queue;

  /** `onError` hears connection errors; without a listener BullMQ prints each one to stderr. */
  constructor(connection: Redis, prefix: string, onError: (error: Error) => void = () => {}) {
    this.queue = new Queue(PQL_CRM_QUEUE, { connection, prefix: pqlQueuePrefix(prefix) });
    this.queue.on("error", onError);
  }

  async requestFlush(): Promise<void> {
    await this.queue.add(
      "flush",
      {},
      {
        deduplication: { id: FLUSH_ID, keepLastIfActive: true },
        attempts: 10,
        backoff: { type: "exponential", delay: 500 },
        removeOnComplete: true,
        removeOnFail: { count: 100 },
      },
    );
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

export interface CrmWorkerOptions {
  /**
   * Flush jobs per window. A flush makes 2 HubSpot requests (one upsert of ≤ 100 contacts, one
   * batch of ≤ 100 notes), so one per 250 ms is 80 requests per 10 s, under HubSpot's 100. Spread
   * evenly rather than 3 back to back per second: a qualification then waits ≤ 250 ms for the
   * limiter instead of up to a second.
   */
  limiter?: { max: number; duration: number };
  /**
   * How long a flush's lock lasts (SHIPLOOP_LOCK_DURATION): a worker that died mid-flush hands
   * the flush to another after this, checked every half of it.
   */
  lockMs?: number;
  /** True while Redis is unreachable: connection errors are then already reported. */
  isRedisDown?: () => boolean;
}

/**
 * Runs flush jobs. A 429 pauses the whole queue for the time HubSpot asks (the job goes back
 * without spending an attempt); a 5xx is retried with backoff; a rejected credential fails the
 * job loudly and leaves the leads pending until it is fixed.
 */
export function startCrmWorker(
  connection: Redis,
  prefix: string,
  crmQueue: CrmQueue,
  deps: PushDeps,
  logger: Logger,
  options: CrmWorkerOptions = {},
): Worker<unknown, PushSummary> {
  const worker = new Worker<unknown, PushSummary>(
    PQL_CRM_QUEUE,
    async () => {
      try {
        const summary = await pushPending(deps);
        if (summary.remaining > 0) await crmQueue.requestFlush();
        return summary;
      } catch (error) {
        if (error instanceof CrmRateLimited) {
          logger.warn({ policy: error.policyName, waitMs: error.retryAfterMs }, error.message);
          await crmQueue.queue.rateLimit(error.retryAfterMs);
          throw Worker.RateLimitError();
        }
        const outcome = errorOutcome(error);
        if (outcome.action === "block") throw new UnrecoverableError(outcome.reason);
        if (outcome.action === "fail") throw outcome.error;
        throw error;
      }
    },
    {
      connection: connection.duplicate(),
      prefix: pqlQueuePrefix(prefix),
      concurrency: 1,
      limiter: options.limiter ?? { max: 1, duration: 250 },
      lockDuration: options.lockMs ?? 30_000,
      stalledInterval: Math.max(500, Math.floor((options.lockMs ?? 30_000) / 2)),
    },
  );
  worker.on("failed", (job, error) => {
    logger.error(
      { jobId: job?.id, attempt: job?.attemptsMade, err: error },
      `PQL CRM push failed: ${error.message}`,
    );
  });
  worker.on("error", (error) => {
    // A Redis outage is reported once by the worker's connector, not once per retry here.
    if (options.isRedisDown?.()) return;
    logger.error({ err: error }, "PQL CRM worker error");
  });
  return worker;
}
