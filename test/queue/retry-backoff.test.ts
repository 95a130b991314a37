import { afterEach, describe, expect, it } from "vitest";
import type { Planner } from "../../jobs/cycle-context.js";
import { TransientError } from "../../src/domain/errors.js";
import { CycleQueue } from "../../src/queue/cycle-queue.js";
import { jobIds } from "../../src/queue/job-payloads.js";
import { retryDelay } from "../../src/queue/retry-backoff.js";
import { backlogDir } from "../support/backlog-dir.js";
import { waitFor } from "../support/redis.js";
import { testRuntime } from "../support/test-runtime.js";

const conflict = () =>
  new TransientError("ledger-conflict", "experiment x changed while this job ran");

describe("retryDelay", () => {
  it("retries a ledger conflict within a third of a second, with jitter", () => {
    expect(retryDelay(1, conflict(), 2_000, () => 0)).toBe(50);
    expect(retryDelay(5, conflict(), 2_000, () => 0.999)).toBe(299);
  });

  it("backs off exponentially from the base delay for any other fault", () => {
    const fault = new TransientError("http-502", "bad gateway");
    expect([1, 2, 3, 4].map((n) => retryDelay(n, fault, 2_000))).toEqual([
      2_000, 4_000, 8_000, 16_000,
    ]);
    expect(retryDelay(2, new Error("socket hang up"), 500)).toBe(1_000);
  });
});

describe("the cycle worker's retries", () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A runtime whose base backoff is ten minutes and whose planner fails once with `error`. */
  function runtimeFailingOnceWith(error: Error) {
    const backlog = backlogDir([]);
    let calls = 0;
    const planner: Planner = {
      async rank() {
        calls += 1;
        if (calls === 1) throw error;
        return { candidates: [], invalidFiles: 0 };
      },
    };
    const runtime = testRuntime("retry-backoff", backlog.dir, { overrides: { planner } });
    runtime.ctx.queue = new CycleQueue(runtime.redis, runtime.ctx.config.prefix, () => {}, {
      attempts: 3,
      backoffMs: 600_000,
    });
    cleanups.push(backlog.remove, () => runtime.close());
    return { runtime, calls: () => calls };
  }

  it("takes a conflicted job up again at once, not after the base backoff", async () => {
    const { runtime, calls } = runtimeFailingOnceWith(conflict());
    runtime.start();
    await runtime.ctx.queue.kickoff("2026-W49");
    const job = await waitFor("the kickoff to complete after its conflict", async () => {
      const found = await runtime.ctx.queue.queue.getJob(jobIds.kickoff("2026-W49"));
      return found?.finishedOn ? found : undefined;
    });
    expect(job.attemptsMade).toBe(2);
    expect(calls()).toBe(2);
  });

  it("holds any other transient fault back for the base backoff", async () => {
    const { runtime, calls } = runtimeFailingOnceWith(
      new TransientError("http-502", "bad gateway"),
    );
    runtime.start();
    await runtime.ctx.queue.kickoff("2026-W49");
    const queue = runtime.ctx.queue.queue;
    const job = await waitFor("the kickoff to wait for its retry", async () => {
      const found = await queue.getJob(jobIds.kickoff("2026-W49"));
      return found && (await found.getState()) === "delayed" ? found : undefined;
    });
    expect(job.attemptsMade).toBe(1);
    expect(job.delay).toBe(600_000);
    expect(calls()).toBe(1);
  });
});
