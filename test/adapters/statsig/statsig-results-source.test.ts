import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { judge } from "../../../jobs/judge.js";
import { BacklogItemSchema } from "../../../src/domain/backlog-item.js";
import { UserError } from "../../../src/domain/errors.js";
import type { ExperimentRecord } from "../../../src/domain/experiment.js";
import { seedExperiment } from "../../fakes/statsig/fake-project.js";
import { FakeStatsig } from "../../fakes/statsig/fake-statsig.js";
import { kit } from "./statsig-test-kit.js";

let fake: FakeStatsig;
beforeEach(async () => {
  fake = await new FakeStatsig().start();
});
afterEach(async () => {
  await fake.close();
});

const START = "2026-03-02T09:00:00.000Z";
const AFTER_WINDOW = new Date("2026-03-09T10:00:00.000Z");
const PEEK = new Date("2026-03-05T09:00:00.000Z");

function record(ship: Record<string, unknown>): ExperimentRecord {
  const item = BacklogItemSchema.parse({
    id: "pricing-page",
    title: "Simpler pricing page",
    hypothesis: "Fewer plans raise trial starts.",
    stage: "pql",
    surface: "pricing",
    impact: { relativeLift: 0.05, confidence: 0.5 },
    effort: 1,
    primaryMetric: { name: "trial_started", event: "trial_started", type: "proportion" },
    guardrails: [
      { name: "paid", event: "subscription_started", type: "proportion", maxRelativeDrop: 0.05 },
    ],
    ship,
    split: 50,
  });
  return {
    id: "2026-W10--pricing-page",
    week: "2026-W10",
    itemId: item.id,
    item,
    status: "measuring",
    history: [],
    writes: {},
    measuringSince: START,
    checks: [],
    version: 1,
  };
}

/** One Pulse answer in the current camelCase style … */
const CAMEL = {
  ds: "2026-03-08",
  primaryMetrics: [
    {
      metricID: "trial_started::event_user",
      metricName: "trial_started",
      directionality: "increase",
      absoluteChange: 0.006,
      percentChange: 5,
      percentConfidenceInterval: { lower: 1.08, upper: 8.92 },
      percentConfidenceIntervalDelta: 3.92,
      percentSequentialTestingConfidenceIntervalDelta: 6.5,
      testMean: 0.126,
      controlMean: 0.12,
      testUnits: 10_080,
      controlUnits: 10_000,
      pValue: 0.012,
    },
  ],
  secondaryMetrics: [
    {
      metricID: "subscription_started::event_user",
      metricName: "subscription_started",
      absoluteChange: -0.0004,
      percentChange: -2,
      percentConfidenceIntervalDelta: 9.8,
      testMean: 0.0196,
      controlMean: 0.02,
      testUnits: 10_080,
      controlUnits: 10_000,
      pValue: 0.69,
    },
  ],
};

/** … and the same numbers in the older snake_case style. */
const SNAKE = {
  primaryMetrics: [
    {
      metricID: "trial_started::event_user",
      value: 0.006,
      percent_change: 5,
      percent_confidence_interval_delta: 3.92,
      percent_sequential_testing_confidence_interval_delta: 6.5,
      test_mean: 0.126,
      control_mean: 0.12,
      test_units: 10_080,
      control_units: 10_000,
      p_value: 0.012,
    },
  ],
  secondaryMetrics: [
    {
      metricID: "subscription_started::event_user",
      value: -0.0004,
      percent_change: -2,
      percent_confidence_interval_delta: 9.8,
      test_mean: 0.0196,
      control_mean: 0.02,
      test_units: 10_080,
      control_units: 10_000,
      p_value: 0.69,
    },
  ],
};

const EXPERIMENT_SHIP = {
  kind: "experiment",
  experiment: "pricing_page_v2",
  groups: [
    { name: "control", size: 50 },
    { name: "treatment", size: 50 },
  ],
};

describe("StatsigResultsSource", () => {
  it("maps Pulse in either field style to the same comparisons", async () => {
    const exp = seedExperiment(fake.project, { name: "pricing_page_v2", status: "active" });
    const { results } = kit(fake);
    const measured = [];
    for (const pulse of [CAMEL, SNAKE]) {
      fake.pulse.set(exp.id, pulse);
      measured.push(await results.measure(record(EXPERIMENT_SHIP), AFTER_WINDOW));
    }
    const [camel, snake] = measured;

    expect(snake?.comparisons).toEqual(camel?.comparisons);
    expect(camel?.method).toBe("fixed");
    const primary = camel?.comparisons.trial_started;
    expect(primary?.variant).toBe("treatment");
    expect(primary?.relativeLift).toBeCloseTo(0.05, 12);
    expect(primary?.ci[0]).toBeCloseTo(0.0108, 12);
    expect(primary?.ci[1]).toBeCloseTo(0.0892, 12);
    expect(primary?.se).toBeCloseTo(0.0392 / 1.959963984540054, 9);
    expect(primary).toMatchObject({
      mean: 0.126,
      baselineMean: 0.12,
      pValue: 0.012,
      significant: true,
      chanceToWin: null,
    });
    expect(camel?.comparisons.paid).toMatchObject({ relativeLift: -0.02, significant: false });
    // The control/test query names Statsig's group ids.
    const call = fake.calls.find((c) => c.path.endsWith("/pulse_results"));
    expect(call?.query).toEqual({ control: exp.groups[0]?.id, test: exp.groups[1]?.id });
  });

  it("counts users from cumulative exposures up to the day measured, for our own SRM check", async () => {
    const exp = seedExperiment(fake.project, { name: "pricing_page_v2", status: "active" });
    fake.pulse.set(exp.id, CAMEL);
    fake.exposures.set(
      exp.id,
      exp.groups.map((g, i) => ({
        groupID: g.id,
        groupName: g.name,
        results: [
          { date: "2026-03-08", exposures: 9000 + i * 100 },
          { date: "2026-03-09", exposures: 10_000 + i * 1500 },
          { date: "2026-03-10", exposures: 99_999 },
        ],
      })),
    );
    const { results } = kit(fake);
    const measured = await results.measure(record(EXPERIMENT_SHIP), AFTER_WINDOW);

    expect(measured.variants).toEqual([
      { name: "control", users: 10_000, weight: 0.5 },
      { name: "treatment", users: 11_500, weight: 0.5 },
    ]);
    const judgement = judge(record(EXPERIMENT_SHIP), measured, "fixed");
    expect(judgement.srm.mismatch).toBe(true);
  });

  it("a daily peek reads the sequential interval", async () => {
    const exp = seedExperiment(fake.project, { name: "pricing_page_v2", status: "active" });
    fake.pulse.set(exp.id, CAMEL);
    const { results } = kit(fake);
    const peek = await results.measure(record(EXPERIMENT_SHIP), PEEK);

    expect(peek.method).toBe("sequential");
    expect(peek.comparisons.trial_started?.ci[0]).toBeCloseTo(-0.015, 12);
    expect(peek.comparisons.trial_started?.significant).toBe(false);
  });

  it("reads a gate split's Pulse through shiploop's current rule id", async () => {
    fake.project.addGate({ name: "pricing_gate" });
    const { flags, results } = kit(fake);
    await flags.ensureGateSplit({ gate: "pricing_gate", percent: 50 });
    fake.pulse.set("pricing_gate", {
      ds: "2026-03-08",
      monitoringMetrics: [...CAMEL.primaryMetrics, ...CAMEL.secondaryMetrics],
    });

    const measured = await results.measure(
      record({ kind: "gate", gate: "pricing_gate" }),
      AFTER_WINDOW,
    );

    const rule = fake.gate("pricing_gate")?.rules[0];
    expect(fake.calls.at(-1)?.path).toBe(`/gates/pricing_gate/rules/${rule?.id}/pulse_results`);
    expect(measured.variants).toEqual([
      { name: "control", users: 10_000, weight: 0.5 },
      { name: "treatment", users: 10_080, weight: 0.5 },
    ]);
    expect(measured.comparisons.trial_started?.relativeLift).toBeCloseTo(0.05, 12);
  });

  it("a metric Pulse does not have is the user's to fix, named with what Pulse has", async () => {
    const exp = seedExperiment(fake.project, { name: "pricing_page_v2", status: "active" });
    fake.pulse.set(exp.id, { primaryMetrics: CAMEL.primaryMetrics });
    const { results } = kit(fake);
    const error = await results.measure(record(EXPERIMENT_SHIP), AFTER_WINDOW).catch((e) => e);

    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(
      /no usable result for metric paid \(event subscription_started\)/,
    );
    expect(error.message).toMatch(/trial_started::event_user/);
  });
});
