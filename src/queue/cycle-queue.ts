import { type JobsOptions, Queue } from "bullmq";
import type { Redis } from "ioredis";
import { hashTaggedPrefix } from "../ledger/ledger-keys.js";
import {
  CYCLE_QUEUE,
  type JobName,
  type JobPayload,
  jobIds,
  SCHEDULER_ID,
} from "./job-payloads.js";
import { RETRY_BACKOFF_TYPE } from "./retry-backoff.js";

/**
 * Retries for transient faults (a 5xx, a rate limit), with exponential backoff: 2 s, 4 s, …
 * about four minutes in all before a step gives up. A ledger conflict is retried at once
 * (see `retry-backoff.ts`).
 */
export const DEFAULT_RETRY = { attempts: 8, backoffMs: 2_000 };

const KEEP: JobsOptions = {
  // Completed jobs stay a while so a duplicate add within that time is a no-op by jobId;
  // the ledger, not the job, is the lasting record that a step ran.
  removeOnComplete: { age: 30 * 86_400, count: 10_000 },
  removeOnFail: { age: 90 * 86_400 },
};

/** Enqueues the cycle's steps with their deterministic ids. */
export class CycleQueue {
  readonly queue: Queue;

  /**
   * `onError` hears the queue's connection errors; without a listener BullMQ prints each one
   * to stderr, which during a Redis outage means one stack trace per reconnect attempt.
   */
  constructor(
    connection: Redis,
    prefix: string,
    onError: (error: Error) => void = () => {},
    retry: { attempts: number; backoffMs: number } = DEFAULT_RETRY,
  ) {
    this.queue = new Queue(CYCLE_QUEUE, {
      connection,
      prefix: hashTaggedPrefix(prefix),
      defaultJobOptions: {
        ...KEEP,
        attempts: retry.attempts,
        backoff: { type: RETRY_BACKOFF_TYPE, delay: retry.backoffMs },
      },
    });
    this.queue.on("error", onError);
  }

  async upsertSchedule(pattern: string, tz: string): Promise<void> {
    await this.queue.upsertJobScheduler(SCHEDULER_ID, { pattern, tz }, { name: "tick", data: {} });
  }

  async nextKickoff(): Promise<Date | undefined> {
    const scheduler = await this.queue.getJobScheduler(SCHEDULER_ID);
    return scheduler?.next ? new Date(scheduler.next) : undefined;
  }

  kickoff(week: string, attempt = 0) {
    return this.add("kickoff", { week, attempt }, { jobId: jobIds.kickoff(week, attempt) });
  }

  ship(experimentId: string) {
    return this.add("ship", { experimentId }, { jobId: jobIds.ship(experimentId) });
  }

  awaitMerge(experimentId: string, delay = 0) {
    return this.add(
      "await-merge",
      { experimentId, polls: 0 },
      { jobId: jobIds.awaitMerge(experimentId), delay },
    );
  }

  check(experimentId: string, day: number, delay: number) {
    return this.add(
      "check",
      { experimentId, day },
      { jobId: jobIds.check(experimentId, day), delay },
    );
  }

  verdict(experimentId: string, delay: number, round = 0) {
    return this.add(
      "verdict",
      { experimentId, round },
      { jobId: jobIds.verdict(experimentId, round), delay },
    );
  }

  learn(experimentId: string) {
    return this.add("learn", { experimentId }, { jobId: jobIds.learn(experimentId) });
  }

  close(): Promise<void> {
    return this.queue.close();
  }

  private add<N extends JobName>(name: N, data: JobPayload<N>, options: JobsOptions) {
    return this.queue.add(name, data, options);
  }
}
