import { describe, expect, it } from "vitest";
import { judge } from "../../jobs/judge.js";
import { SimulatedProduct } from "../../src/adapters/sandbox/simulated-product.js";
import { BacklogItemSchema } from "../../src/domain/backlog-item.js";
import type { ExperimentRecord } from "../../src/domain/experiment.js";

const item = (lift: number, reach = 1) =>
  BacklogItemSchema.parse({
    id: "onboarding-fix",
    title: "Fix onboarding",
    hypothesis: "It helps.",
    stage: "activation",
    surface: "onboarding",
    impact: { relativeLift: 0.1, confidence: 0.5 },
    effort: 2,
    reach,
    primaryMetric: { name: "activated", event: "activated", type: "proportion" },
    guardrails: [{ name: "paid", event: "paid", type: "proportion", maxRelativeDrop: 0.1 }],
    ship: { kind: "gate", gate: "onboarding_fix" },
    sandbox: { trueRelativeLift: lift },
  });

describe("SimulatedProduct", () => {
  it("lets activation drift from 35 % towards 18 % over six months", () => {
    const product = new SimulatedProduct("decay");
    expect(product.rate("activation", 0)).toBeCloseTo(0.35, 6);
    expect(product.rate("activation", 26)).toBeGreaterThan(0.18);
    expect(product.rate("activation", 26)).toBeLessThan(0.2);
    expect(product.diagnose(26).weakestStage).toBe("activation");
    expect(product.diagnose(26).stageWeights.activation).toBeGreaterThan(
      product.diagnose(0).stageWeights.activation,
    );
  });

  it("compounds kept changes, scaled by reach, into the stage and the bottom line", () => {
    const product = new SimulatedProduct("ship");
    product.ship(item(0.1));
    product.ship({ ...item(0.2, 0.5), id: "second" });
    expect(product.stageMultipliers().activation).toBeCloseTo(1.1 * 1.1, 12);
    expect(product.capturedLift()).toBeCloseTo(0.21, 12);
    expect(product.rate("activation", 0)).toBeCloseTo(0.35 * 1.21, 12);
  });

  it("measures cumulative days whose lift the stats engine recovers", () => {
    const product = new SimulatedProduct("measure");
    const days = product.measureWindow(item(0.1), 0);
    expect(days).toHaveLength(7);
    const users = days.map((d) => d.variants.reduce((s, v) => s + v.users, 0));
    expect(users).toEqual([...users].sort((a, b) => a - b));
    const record = { item: item(0.1) } as ExperimentRecord;
    const judgement = judge(record, days[6] as never, "fixed");
    expect(judgement.primary.ci[0]).toBeLessThan(0.1);
    expect(judgement.primary.ci[1]).toBeGreaterThan(0.1);
    expect(judgement.srm.mismatch).toBe(false);
    // The same world, item and day draw the same users, whoever asks.
    expect(new SimulatedProduct("measure").measureWindow(item(0.1), 0)).toEqual(days);
  });
});
