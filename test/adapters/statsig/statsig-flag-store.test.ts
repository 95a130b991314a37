import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OWN_RULE_NAME } from "../../../src/adapters/statsig/gate-rules.js";
import { GuardrailSchema, MetricSchema } from "../../../src/domain/backlog-item.js";
import { UserError } from "../../../src/domain/errors.js";
import type { ExperimentSpec } from "../../../src/domain/ports.js";
import { errorOutcome } from "../../../src/queue/error-outcome.js";
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

const EMPLOYEES = {
  name: "employees",
  passPercentage: 100,
  conditions: [{ type: "email", operator: "str_contains_any", targetValue: ["@acme.com"] }],
};

describe("StatsigFlagStore gates", () => {
  it("sets the split once: a second call finds its own rule and writes nothing", async () => {
    fake.project.addGate({ name: "new_checkout", rules: [EMPLOYEES] });
    const { flags } = kit(fake);

    await flags.ensureGateSplit({ gate: "new_checkout", percent: 50 });
    const afterFirst = structuredClone(fake.gate("new_checkout"));
    await flags.ensureGateSplit({ gate: "new_checkout", percent: 50 });

    expect(fake.writes()).toEqual(["POST /gates/new_checkout"]);
    expect(fake.gate("new_checkout")).toEqual(afterFirst);
    const rules = fake.gate("new_checkout")?.rules ?? [];
    expect(rules.map((r) => [r.name, r.passPercentage])).toEqual([
      ["employees", 100],
      [OWN_RULE_NAME, 50],
    ]);
    expect(rules[0]?.conditions).toEqual(EMPLOYEES.conditions);
    // Both calls were checked with the real server SDK.
    expect(fake.calls.filter((c) => c.api === "sdk")).toHaveLength(2);
  });

  it("finds its rule by name although the rule id changed with the percentage", async () => {
    fake.project.addGate({ name: "new_checkout", rules: [EMPLOYEES] });
    const { flags } = kit(fake);
    await flags.ensureGateSplit({ gate: "new_checkout", percent: 20 });
    const before = fake.gate("new_checkout")?.rules[1];
    await flags.ensureGateSplit({ gate: "new_checkout", percent: 50 });
    const after = fake.gate("new_checkout")?.rules[1];

    expect(after?.id).not.toBe(before?.id);
    expect(after?.baseID).toBe(before?.baseID);
    expect(fake.gate("new_checkout")?.rules.map((r) => r.name)).toEqual([
      "employees",
      OWN_RULE_NAME,
    ]);
  });

  it("creates a missing gate with its rule", async () => {
    const { flags } = kit(fake);
    await flags.ensureGateSplit({ gate: "fresh_gate", percent: 30 });
    expect(fake.writes()).toEqual(["POST /gates"]);
    expect(fake.gate("fresh_gate")?.rules.map((r) => [r.name, r.passPercentage])).toEqual([
      [OWN_RULE_NAME, 30],
    ]);
  });

  it("a crash between the write and the ledger record: the re-run lands in the same state", async () => {
    fake.project.addGate({ name: "new_checkout", rules: [EMPLOYEES] });
    // First worker: writes the split, then its verification cannot even start (bad secret),
    // as if it died before recording the result.
    const first = kit(fake, { serverSecret: "secret-not-this-project" });
    await expect(
      first.flags.ensureGateSplit({ gate: "new_checkout", percent: 50 }),
    ).rejects.toThrow(/STATSIG_SERVER_SECRET/);
    const state = structuredClone(fake.gate("new_checkout"));
    // The next worker repeats the idempotent write under the same recorded intent.
    const second = kit(fake);
    await expect(
      second.flags.ensureGateSplit({ gate: "new_checkout", percent: 50 }),
    ).resolves.toEqual({ gate: "new_checkout", percent: 50 });
    expect(fake.writes()).toEqual(["POST /gates/new_checkout"]);
    expect(fake.gate("new_checkout")).toEqual(state);
  });

  it("blocks when the rule says 50 % but the server SDK sees 0 %", async () => {
    fake.project.addGate({ name: "new_checkout" });
    fake.sdkSeesPercent.set("new_checkout", 0);
    const { flags } = kit(fake);

    const error = await flags
      .ensureGateSplit({ gate: "new_checkout", percent: 50 })
      .catch((e) => e);

    expect(error).toBeInstanceOf(UserError);
    expect(error.code).toBe("statsig-split-not-live");
    expect(error.message).toMatch(/gate new_checkout: the Console API says 50 %/);
    expect(error.message).toMatch(/passes 0\.0 % of 2000 synthetic users/);
    expect(errorOutcome(error)).toMatchObject({ action: "block" });
    expect(fake.gate("new_checkout")?.rules[0]?.passPercentage).toBe(50);
  });

  it("ships with launch and rolls back by setting only its own rule to 0", async () => {
    fake.project.addGate({ name: "shipped", rules: [EMPLOYEES] });
    fake.project.addGate({ name: "rolled_back" });
    const { flags } = kit(fake);
    await flags.ensureGateSplit({ gate: "shipped", percent: 50 });
    await flags.ensureGateSplit({ gate: "rolled_back", percent: 50 });

    await flags.ensureGateSplit({ gate: "shipped", percent: 100 });
    await flags.ensureGateSplit({ gate: "shipped", percent: 100 });
    await flags.ensureGateSplit({ gate: "rolled_back", percent: 0 });

    expect(fake.writes()).toEqual([
      "POST /gates/shipped",
      "POST /gates/rolled_back",
      "PUT /gates/shipped/launch",
      "POST /gates/rolled_back",
    ]);
    expect(fake.gate("shipped")?.status).toBe("Launched");
    expect(fake.gate("rolled_back")?.rules.map((r) => r.passPercentage)).toEqual([0]);
  });

  it("refuses to split a gate somebody disabled", async () => {
    fake.project.addGate({ name: "off", isEnabled: false });
    const { flags } = kit(fake);
    const error = await flags.ensureGateSplit({ gate: "off", percent: 50 }).catch((e) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(/gate off is disabled/);
    expect(fake.writes()).toEqual([]);
  });
});

describe("StatsigFlagStore experiments", () => {
  const spec: ExperimentSpec = {
    name: "pricing_page_v2",
    hypothesis: "A simpler pricing page raises trial starts.",
    groups: [
      { name: "control", size: 50, parameters: { layout: "old" } },
      { name: "treatment", size: 50, parameters: { layout: "new" } },
    ],
    primaryMetric: MetricSchema.parse({
      name: "trial_started",
      event: "trial_started",
      type: "proportion",
    }),
    guardrails: [
      GuardrailSchema.parse({
        name: "paid",
        event: "subscription_started",
        type: "proportion",
        maxRelativeDrop: 0.05,
      }),
      GuardrailSchema.parse({
        name: "pricing_views",
        event: "viewed_pricing",
        type: "mean",
        maxRelativeDrop: 0.1,
      }),
    ],
    windowMs: 7 * 86_400_000,
  };

  it("puts the item's primary metric on the scorecard, and its guardrails as secondary metrics", async () => {
    const { flags } = kit(fake);
    await flags.ensureExperimentStarted(spec);

    const create = fake.calls.find((c) => c.method === "POST" && c.path === "/experiments");
    expect(create?.status).toBe(201);
    expect(create?.body).toMatchObject({
      primaryMetrics: [{ name: "trial_started", type: "event_user" }],
      secondaryMetrics: [
        { name: "paid", type: "event_user" },
        { name: "viewed_pricing", type: "event_count" },
      ],
    });
    expect(fake.experiment("pricing_page_v2")?.primaryMetrics).toEqual([
      { name: "trial_started", type: "event_user" },
    ]);
  });

  it("the fake refuses an experiment without a well-shaped primary metric", async () => {
    const { client } = kit(fake);
    const post = (extra: Record<string, unknown>) =>
      client.request("POST", "/experiments", {
        subject: "experiment bare",
        accept: [400],
        body: {
          name: "bare",
          groups: [
            { name: "control", size: 50, parameterValues: {} },
            { name: "treatment", size: 50, parameterValues: {} },
          ],
          ...extra,
        },
      });

    expect((await post({})).message).toMatch(/primaryMetrics is required/);
    expect((await post({ primaryMetrics: [] })).message).toMatch(/at least 1 metric/);
    expect((await post({ primaryMetrics: ["trial_started"] })).message).toMatch(
      /primaryMetrics\[0\] must be \{ name, type \}/,
    );
    expect(
      (await post({ primaryMetrics: [{ name: "trial_started", type: "proportion" }] })).message,
    ).toMatch(/primaryMetrics\[0\]\.type must be one of event_count/);
    expect(
      (
        await post({
          primaryMetrics: [{ name: "trial_started", type: "event_user" }],
          secondaryMetrics: [{ type: "event_count" }],
        })
      ).message,
    ).toMatch(/secondaryMetrics\[0\]\.name must be a non-empty string/);
    expect(fake.project.experiments.size).toBe(0);
  });

  it("creates, starts and decides once however often it is asked", async () => {
    const { flags } = kit(fake);
    const started = await flags.ensureExperimentStarted(spec);
    await flags.ensureExperimentStarted(spec);
    await flags.ensureExperimentDecision(spec.name, { ship: "treatment" }, "primary up 4 %");
    await flags.ensureExperimentDecision(spec.name, { ship: "treatment" }, "primary up 4 %");

    expect(started).toEqual({ id: "pricing_page_v2" });
    expect(fake.writes()).toEqual([
      "POST /experiments",
      "PUT /experiments/pricing_page_v2/start",
      "PUT /experiments/pricing_page_v2/make_decision",
    ]);
    const experiment = fake.experiment("pricing_page_v2");
    const treatment = experiment?.groups.find((g) => g.name === "treatment");
    expect(experiment).toMatchObject({
      status: "decision_made",
      launchedGroupID: treatment?.id,
      decisionReason: "primary up 4 %",
      duration: 7,
      sequentialTesting: true,
    });
    expect(experiment?.groups.map((g) => g.parameterValues)).toEqual([
      { layout: "old" },
      { layout: "new" },
    ]);
    const create = fake.calls.find((c) => c.method === "POST" && c.path === "/experiments");
    expect(create?.body).toMatchObject({
      name: spec.name,
      idType: "userID",
      hypothesis: spec.hypothesis,
    });
  });

  it.each([
    [14 * 86_400_000, 14],
    [36 * 3_600_000, 2],
    [1_400, 1],
  ])("plans a window of %i ms as a duration of %i days", async (windowMs, days) => {
    const { flags } = kit(fake);
    await flags.ensureExperimentStarted({ ...spec, windowMs });
    expect(fake.experiment("pricing_page_v2")?.duration).toBe(days);
  });

  it("abandons: everyone back on control", async () => {
    const { flags } = kit(fake);
    await flags.ensureExperimentStarted(spec);
    await flags.ensureExperimentDecision(spec.name, { abandon: true }, "guardrail breached");
    expect(fake.experiment("pricing_page_v2")).toMatchObject({
      status: "abandoned",
      decisionReason: "guardrail breached",
    });
  });

  it("adopts an experiment whose name is already in use, found through the paginated list", async () => {
    for (let i = 0; i < 150; i++) seedExperiment(fake.project, { name: `filler_${i}` });
    seedExperiment(fake.project, { id: "legacy_7", name: "Pricing Page V2", status: "setup" });
    const { flags } = kit(fake);

    const started = await flags.ensureExperimentStarted({ ...spec, name: "Pricing Page V2" });

    expect(started).toEqual({ id: "legacy_7" });
    expect(fake.consoleCalls().map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
      "POST /experiments 400",
      "GET /experiments/Pricing Page V2 404",
      "GET /experiments 200",
      "GET /experiments 200",
      "PUT /experiments/legacy_7/start 200",
    ]);
    expect(fake.experiment("legacy_7")?.status).toBe("active");
  });

  it("does not restart an experiment that already ended", async () => {
    seedExperiment(fake.project, { name: "pricing_page_v2", status: "abandoned" });
    const { flags } = kit(fake);
    const error = await flags.ensureExperimentStarted(spec).catch((e) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(/already exists with status abandoned/);
  });

  it("rejects bad groups with Statsig's own reason", async () => {
    const { flags } = kit(fake);
    const error = await flags
      .ensureExperimentStarted({ ...spec, groups: [{ name: "only", size: 100, parameters: {} }] })
      .catch((e) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(/experiment pricing_page_v2 \(HTTP 400\): groups must have/);
  });
});

describe("StatsigFlagStore roll-back of a split that never started", () => {
  it("writes nothing to a gate without its rule", async () => {
    const local = await new FakeStatsig().start();
    try {
      local.project.addGate({ name: "untouched", rules: [EMPLOYEES] });
      await kit(local).flags.ensureGateSplit({ gate: "untouched", percent: 0 });
      expect(local.writes()).toEqual([]);
    } finally {
      await local.close();
    }
  });
});
