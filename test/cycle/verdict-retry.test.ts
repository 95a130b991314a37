import { afterEach, describe, expect, it } from "vitest";
import { processVerdict } from "../../jobs/verdict.js";
import { BacklogItemSchema } from "../../src/domain/backlog-item.js";
import type { ExperimentRecord } from "../../src/domain/experiment.js";
import { backlogDir, item } from "../support/backlog-dir.js";
import { type TestRuntime, testRuntime } from "../support/test-runtime.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("the verdict step after a crash", () => {
  it("keeps the decision that was applied, even if the numbers would now decide otherwise", async () => {
    // The simulated truth is zero now, so measuring again would say "inconclusive"; but a
    // previous attempt already shipped (gate to 100 %) before the worker died.
    const backlog = backlogDir([]);
    const runtime: TestRuntime = testRuntime("verdict-retry", backlog.dir);
    cleanups.push(backlog.remove, () => runtime.close());
    const start = new Date(Date.now() - 2_000);
    const record: ExperimentRecord = {
      id: "2026-W49--flip",
      week: "2026-W49",
      itemId: "flip",
      item: BacklogItemSchema.parse(item("flip", { sandbox: { trueRelativeLift: 0 } })),
      status: "planned",
      history: [],
      writes: {},
      checks: [],
      version: 0,
    };
    const created = await runtime.ctx.ledger.createExperiment(
      record,
      { week: "2026-W49", kickedAt: start.toISOString(), blocked: [] },
      start,
    );
    if (created.outcome !== "created") throw new Error("setup");
    await runtime.ctx.ledger.saveExperiment({
      ...created.record,
      status: "measuring",
      measuringSince: start.toISOString(),
      verdictDueAt: new Date(start.getTime() + 1_000).toISOString(),
      writes: {
        "apply-verdict": {
          state: "done",
          at: start.toISOString(),
          result: {
            applied: "gate flip_gate to 100 %",
            decision: "ship",
            rule: "primary-better",
            reasons: ["primary +9.0% is significantly better than control"],
          },
        },
      },
    });

    await processVerdict(runtime.ctx, { experimentId: "2026-W49--flip", round: 0 });

    const decided = await runtime.ctx.ledger.getExperiment("2026-W49--flip");
    expect(decided?.status).toBe("decided");
    expect(decided?.verdict).toMatchObject({
      decision: "ship",
      rule: "primary-better",
      applied: "gate flip_gate to 100 %",
    });
    // The decision was not applied a second time.
    expect(await runtime.flags.writes()).toEqual([]);
  });
});
