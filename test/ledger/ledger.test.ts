import { afterAll, afterEach, describe, expect, it } from "vitest";
import { BacklogItemSchema } from "../../src/domain/backlog-item.js";
import type { ExperimentRecord } from "../../src/domain/experiment.js";
import { Ledger } from "../../src/ledger/ledger.js";
import { item } from "../support/backlog-dir.js";
import { removePrefix, testRedis, uniquePrefix } from "../support/redis.js";

const redis = testRedis();
const prefixes: string[] = [];
afterAll(() => redis.disconnect());
afterEach(async () => {
  for (const prefix of prefixes.splice(0)) await removePrefix(redis, prefix);
});

function ledger(): Ledger {
  const prefix = uniquePrefix("ledger");
  prefixes.push(prefix);
  return new Ledger(redis, prefix);
}

function record(id: string, surface: string): ExperimentRecord {
  return {
    id: `2026-W49--${id}`,
    week: "2026-W49",
    itemId: id,
    item: BacklogItemSchema.parse(item(id, { surface })),
    status: "planned",
    history: [],
    writes: {},
    checks: [],
    version: 0,
  };
}

const week = { week: "2026-W49", kickedAt: "2026-12-07T09:00:00.000Z", blocked: [] };
const now = new Date("2026-12-07T09:00:00Z");

describe("ledger", () => {
  it("creates an experiment once, claims its surface and names it in its week", async () => {
    const l = ledger();
    expect((await l.createExperiment(record("a", "pricing"), week, now)).outcome).toBe("created");
    expect((await l.createExperiment(record("a", "pricing"), week, now)).outcome).toBe("exists");
    expect(await l.liveSurfaces()).toEqual({ pricing: "2026-W49--a" });
    expect((await l.getWeek("2026-W49"))?.experimentId).toBe("2026-W49--a");
  });

  it("refuses a second live experiment on the same surface", async () => {
    const l = ledger();
    await l.createExperiment(record("a", "pricing"), week, now);
    const second = await l.createExperiment(record("b", "pricing"), week, now);
    expect(second).toEqual({ outcome: "surface-busy", owner: "2026-W49--a" });
    expect(await l.getExperiment("2026-W49--b")).toBeUndefined();
  });

  it("rejects a save from a stale read, and frees the surface only for its owner", async () => {
    const l = ledger();
    const created = await l.createExperiment(record("a", "pricing"), week, now);
    if (created.outcome !== "created") throw new Error("setup");
    const saved = await l.saveExperiment({ ...created.record, status: "shipping" });
    expect(saved.version).toBe(2);
    await expect(l.saveExperiment({ ...created.record, status: "blocked" })).rejects.toMatchObject({
      code: "ledger-conflict",
      kind: "transient",
    });
    await l.saveExperiment(
      { ...saved, status: "decided" },
      { releaseSurface: true, verdictAt: now },
    );
    expect(await l.liveSurfaces()).toEqual({});
    expect((await l.listDecided()).map((e) => e.id)).toEqual(["2026-W49--a"]);
  });

  it("records daily checks beside the record: the verdict's save never conflicts with them", async () => {
    const l = ledger();
    const created = await l.createExperiment(record("a", "pricing"), week, now);
    if (created.outcome !== "created") throw new Error("setup");
    const check = (day: number, users: number) => ({
      day,
      at: now.toISOString(),
      users,
      relativeLift: 0.01,
      ci: [-0.02, 0.04] as [number, number],
      srmPValue: 0.5,
      action: "continue" as const,
    });
    expect(await l.recordCheck(created.record.id, check(2, 200))).toBe(true);
    expect(await l.recordCheck(created.record.id, check(1, 100))).toBe(true);
    expect(await l.recordCheck(created.record.id, check(2, 999))).toBe(false);
    // The verdict read the record before the checks landed; its save still goes through.
    const decided = await l.saveExperiment({ ...created.record, status: "decided" });
    expect(decided.version).toBe(2);
    const stored = await l.getExperiment(created.record.id);
    expect(stored?.status).toBe("decided");
    expect(stored?.checks.map((c) => [c.day, c.users])).toEqual([
      [1, 100],
      [2, 200],
    ]);
  });

  it("keeps checks a record carries when it is created or saved", async () => {
    const l = ledger();
    const seeded = {
      ...record("a", "pricing"),
      checks: [
        {
          day: 1,
          at: now.toISOString(),
          users: 10,
          relativeLift: 0,
          ci: [-1, 1] as [number, number],
          srmPValue: 1,
          action: "continue" as const,
        },
      ],
    };
    const created = await l.createExperiment(seeded, week, now);
    if (created.outcome !== "created") throw new Error("setup");
    await l.saveExperiment({ ...created.record, checks: [] });
    expect((await l.listExperiments())[0]?.checks.map((c) => c.users)).toEqual([10]);
  });

  it("keeps one observation per item however often it is recorded", async () => {
    const l = ledger();
    const observation = {
      itemId: "a",
      stage: "activation" as const,
      surface: "pricing",
      tags: [],
      estimatedLift: 0.1,
      confidence: 0.5,
      observedLift: 0.04,
      observedSe: 0.02,
      decision: "ship" as const,
      effort: 2,
      decidedAt: now.toISOString(),
    };
    await l.recordObservation(observation);
    await l.recordObservation(observation);
    expect(await l.listObservations()).toEqual([observation]);
  });
});
