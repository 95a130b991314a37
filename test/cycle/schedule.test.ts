import { afterEach, describe, expect, it } from "vitest";
import { processTick } from "../../jobs/kickoff.js";
import { isoWeekOf } from "../../src/domain/iso-week.js";
import { jobIds } from "../../src/queue/job-payloads.js";
import { backlogDir } from "../support/backlog-dir.js";
import { type TestRuntime, testRuntime } from "../support/test-runtime.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setup(): TestRuntime {
  const backlog = backlogDir([]);
  const runtime = testRuntime("schedule", backlog.dir);
  cleanups.push(backlog.remove, () => runtime.close());
  return runtime;
}

describe("the weekly schedule", () => {
  it("queues one tick for the next Monday 09:00, and that tick kicks off the week it runs in", async () => {
    const runtime = setup();
    const queue = runtime.ctx.queue;
    await queue.upsertSchedule("0 9 * * 1", "UTC");
    await queue.upsertSchedule("0 9 * * 1", "UTC");
    const next = await queue.nextKickoff();
    expect(next?.getUTCDay()).toBe(1);
    expect(next?.getUTCHours()).toBe(9);
    const ticks = (await queue.queue.getDelayed()).filter((job) => job.name === "tick");
    expect(ticks).toHaveLength(1);
    const [tick] = ticks;
    if (!tick || !next) throw new Error("no tick queued");

    // BullMQ created the tick now, days before it runs: the week is that of its run time.
    const week = await processTick(runtime.ctx, tick);
    expect(week).toBe(isoWeekOf(next, "UTC"));
    const kickoff = await queue.queue.getJob(jobIds.kickoff(week));
    expect(kickoff?.data).toEqual({ week, attempt: 0 });
  });
});
