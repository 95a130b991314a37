import { afterAll, afterEach, describe, expect, it } from "vitest";
import { advanceExperiment } from "../../src/domain/advance-experiment.js";
import { type BacklogItem, BacklogItemSchema } from "../../src/domain/backlog-item.js";
import type { ExperimentRecord, ExperimentStatus } from "../../src/domain/experiment.js";
import { Ledger } from "../../src/ledger/ledger.js";
import { eligibilityFromLedger } from "../../src/runtime/eligibility.js";
import { item } from "../support/backlog-dir.js";
import { removePrefix, testRedis, uniquePrefix } from "../support/redis.js";

const redis = testRedis();
const prefixes: string[] = [];
afterAll(() => redis.disconnect());
afterEach(async () => {
  for (const prefix of prefixes.splice(0)) await removePrefix(redis, prefix);
});

const at = new Date("2026-12-07T09:00:00Z");
const backlogItem = (id: string, overrides: Record<string, unknown> = {}) =>
  BacklogItemSchema.parse(item(id, { surface: id, ...overrides }));

/** Runs `item` in `week` through `path` of statuses, as the jobs would store them. */
async function run(
  ledger: Ledger,
  week: string,
  of: BacklogItem,
  path: ExperimentStatus[],
): Promise<void> {
  const record: ExperimentRecord = {
    id: `${week}--${of.id}`,
    week,
    itemId: of.id,
    item: of,
    status: "planned",
    history: [],
    writes: {},
    checks: [],
    version: 0,
  };
  const created = await ledger.createExperiment(record, { week, kickedAt: "", blocked: [] }, at);
  if (created.outcome !== "created") throw new Error(`setup: ${created.outcome}`);
  let current = created.record;
  for (const status of path) {
    const final = status === "blocked" || status === "decided";
    current = await ledger.saveExperiment(advanceExperiment(current, status, at), {
      releaseSurface: final,
    });
  }
}

describe("eligibilityFromLedger", () => {
  it("excludes what ran, keeps a blocked item out until its file changes, and follows an item's latest run", async () => {
    const prefix = uniquePrefix("eligibility");
    prefixes.push(prefix);
    const ledger = new Ledger(redis, prefix);
    const decided = backlogItem("decided");
    const stillBlocked = backlogItem("still-blocked");
    const fixed = backlogItem("fixed");
    const rerun = backlogItem("rerun");
    await run(ledger, "2026-W49", decided, ["shipping", "measuring", "decided"]);
    await run(ledger, "2026-W49", stillBlocked, ["shipping", "blocked"]);
    await run(ledger, "2026-W49", fixed, ["shipping", "blocked"]);
    await run(ledger, "2026-W49", rerun, ["shipping", "blocked"]);
    const rerunFixed = backlogItem("rerun", { title: "Fixed and running again" });
    await run(ledger, "2026-W50", rerunFixed, ["shipping", "measuring"]);

    const fixedNow = backlogItem("fixed", { title: "Its change applies again" });
    const eligibility = await eligibilityFromLedger(ledger, [
      decided,
      stillBlocked,
      fixedNow,
      rerunFixed,
      backlogItem("never-tried"),
    ]);
    expect([...eligibility.shippedIds].sort()).toEqual(["decided", "rerun"]);
    expect([...eligibility.blockedIds]).toEqual(["still-blocked"]);
    expect([...eligibility.liveSurfaces]).toEqual(["rerun"]);
    // The same index finds an item's latest run in one read.
    expect((await ledger.latestExperimentOf("rerun"))?.id).toBe("2026-W50--rerun");
    expect(await ledger.latestExperimentOf("never-tried")).toBeUndefined();
  });
});
