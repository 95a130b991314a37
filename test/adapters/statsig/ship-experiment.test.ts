import { afterEach, describe, expect, it } from "vitest";
import { FakeStatsig } from "../../fakes/statsig/fake-statsig.js";
import { backlogDir, item } from "../../support/backlog-dir.js";
import { waitFor } from "../../support/redis.js";
import { type TestRuntime, testRuntime } from "../../support/test-runtime.js";
import { kit } from "./statsig-test-kit.js";

const WEEK = "2026-W49";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const experimentShip = {
  kind: "experiment",
  experiment: "pricing_page_v2",
  groups: [
    { name: "control", size: 50, parameters: { layout: "old" } },
    { name: "treatment", size: 50, parameters: { layout: "new" } },
  ],
};

/** The weekly cycle on a real queue and worker, with its flags in the fake Statsig. */
async function cycleWithStatsig(
  items: Record<string, unknown>[],
  window = "7d",
): Promise<{ fake: FakeStatsig; runtime: TestRuntime }> {
  const fake = await new FakeStatsig().start();
  const backlog = backlogDir(items);
  const runtime = testRuntime("statsig-ship", backlog.dir, {
    window,
    overrides: { flags: kit(fake, { verify: false }).flags },
  });
  cleanups.push(
    () => fake.close(),
    backlog.remove,
    () => runtime.close(),
  );
  runtime.start();
  await runtime.ctx.queue.kickoff(WEEK);
  return { fake, runtime };
}

async function measuring(runtime: TestRuntime, id: string) {
  return waitFor(`${id} to be measuring`, async () => {
    const experiment = await runtime.ctx.ledger.getExperiment(id);
    return experiment?.status === "measuring" ? experiment : undefined;
  });
}

describe("shipping an experiment item to Statsig", () => {
  it("creates the experiment with the item's primary metric and guardrails on its scorecard", async () => {
    const { fake, runtime } = await cycleWithStatsig([
      item("pricing-page", {
        stage: "pql",
        primaryMetric: { name: "trial_started", event: "trial_started", type: "proportion" },
        guardrails: [
          {
            name: "revenue",
            event: "subscription_started",
            type: "mean",
            property: "mrr",
            maxRelativeDrop: 0.05,
          },
        ],
        ship: experimentShip,
      }),
    ]);
    await measuring(runtime, `${WEEK}--pricing-page`);

    expect(fake.writes()).toEqual(["POST /experiments", "PUT /experiments/pricing_page_v2/start"]);
    expect(fake.experiment("pricing_page_v2")?.duration).toBe(7);
    expect(fake.experiment("pricing_page_v2")).toMatchObject({
      status: "active",
      primaryMetrics: [{ name: "trial_started", type: "event_user" }],
      secondaryMetrics: [{ name: "revenue", type: "sum" }],
    });
  });

  it("plans the experiment for the item's own window, not SHIPLOOP_WINDOW", async () => {
    const { fake, runtime } = await cycleWithStatsig(
      [item("pricing-page", { window: "14d", ship: experimentShip })],
      "7d",
    );
    const experiment = await measuring(runtime, `${WEEK}--pricing-page`);

    expect(fake.experiment("pricing_page_v2")?.duration).toBe(14);
    expect(
      Date.parse(experiment.verdictDueAt ?? "") - Date.parse(experiment.measuringSince ?? ""),
    ).toBe(14 * 86_400_000);
  });
});
