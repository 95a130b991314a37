import type { ExperimentRecord } from "../../src/domain/experiment.js";
import { HOSTILE_HYPOTHESIS, HOSTILE_TITLE } from "../render/verdict-fixtures.js";
import { backlogDir, item, pullRequestShip } from "../support/backlog-dir.js";
import { waitFor } from "../support/redis.js";
import { type TestRuntime, testRuntime } from "../support/test-runtime.js";

/** The week the pages treat as "this week" (a Wednesday inside 2026-W49). */
export const THIS_WEEK = "2026-W49";
export const NOW = new Date("2026-12-02T12:00:00Z");
export const WEEKS = ["2026-W46", "2026-W47", "2026-W48", "2026-W49"];

export interface SeededSandbox {
  runtime: TestRuntime;
  backlog: string;
  /** Decided experiments by item id. */
  decided: Record<string, ExperimentRecord>;
  close(): Promise<void>;
}

/**
 * Real verdicts from the sandbox on a fresh prefix: four weeks kicked one after the other, each
 * picks the best free item and runs ship → measure → verdict → learn in a compressed window. One item
 * has a hostile title, one ships as a pull request, and one more waits in the backlog.
 */
export async function seedSandbox(label: string): Promise<SeededSandbox> {
  const backlog = backlogDir([
    item("winner", {
      impact: { relativeLift: 0.3, confidence: 0.9 },
      sandbox: { trueRelativeLift: 0.25 },
    }),
    item("checkout-copy", {
      impact: { relativeLift: 0.25, confidence: 0.9 },
      ship: pullRequestShip("checkout-copy"),
      sandbox: { trueRelativeLift: 0.12 },
    }),
    item("hostile", {
      title: HOSTILE_TITLE,
      hypothesis: HOSTILE_HYPOTHESIS,
      impact: { relativeLift: 0.2, confidence: 0.9 },
      sandbox: { trueRelativeLift: 0 },
    }),
    item("pricing-loser", {
      stage: "monetization",
      impact: { relativeLift: 0.15, confidence: 0.9 },
      sandbox: { trueRelativeLift: -0.3 },
    }),
    item("later-idea", { impact: { relativeLift: 0.01, confidence: 0.2 }, effort: 8 }),
  ]);
  const runtime = testRuntime(label, backlog.dir, { mergeDelayMs: 100 });
  runtime.start();
  try {
    // One week after the other, so each week's pick is the best item still free.
    for (const week of WEEKS) {
      await runtime.ctx.queue.kickoff(week);
      await waitFor(`week ${week} to pick an item`, async () =>
        (await runtime.ctx.ledger.getWeek(week))?.experimentId ? true : undefined,
      );
    }
    const decided = await waitFor(
      "four decided and learned experiments",
      async () => {
        const [all, observations] = await Promise.all([
          runtime.ctx.ledger.listDecided(),
          runtime.ctx.ledger.listObservations(),
        ]);
        return all.length === 4 && observations.length === 4 ? all : undefined;
      },
      45_000,
    );
    return {
      runtime,
      backlog: backlog.dir,
      decided: Object.fromEntries(decided.map((e) => [e.itemId, e])),
      async close() {
        await runtime.close();
        backlog.remove();
      },
    };
  } catch (error) {
    await runtime.close();
    backlog.remove();
    throw error;
  }
}
