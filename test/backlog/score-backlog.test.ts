import { describe, expect, it } from "vitest";
import { computePriors, emptyPriors } from "../../src/backlog/learn-priors.js";
import { type ScoreContext, scoreBacklog } from "../../src/backlog/score-backlog.js";
import { EventNamesSchema } from "../../src/config/event-names.js";
import { diagnose } from "../../src/diagnose/diagnose.js";
import { DEFAULT_DIAGNOSE_SETTINGS } from "../../src/diagnose/diagnose-settings.js";
import { EQUAL_STAGE_WEIGHTS } from "../../src/diagnose/stage-weights.js";
import type { FunnelSnapshot } from "../../src/domain/funnel-snapshot.js";
import { at, HOUR, MINUTE } from "../diagnose/events.js";
import { item, observation } from "./score-fixtures.js";

const none = new Set<string>();
const ctx = (over: Partial<ScoreContext> = {}): ScoreContext => ({
  stageWeights: { ...EQUAL_STAGE_WEIGHTS },
  priors: emptyPriors(),
  liveSurfaces: none,
  shippedIds: none,
  blockedIds: none,
  ...over,
});

describe("expected value = calibrated lift × stage weight × reach ÷ effort", () => {
  it.each([
    // authorLift = lift × confidence; no priors, so calibrated lift = authorLift.
    { lift: 0.08, confidence: 0.5, weight: 2, reach: 0.5, effort: 2, ev: (0.04 * 2 * 0.5) / 2 },
    { lift: 0.2, confidence: 0.25, weight: 1, reach: 1, effort: 5, ev: 0.01 },
    { lift: -0.05, confidence: 1, weight: 1, reach: 1, effort: 1, ev: -0.05 },
  ])(
    "lift $lift × conf $confidence × weight $weight × reach $reach ÷ effort $effort = $ev",
    (c) => {
      const weights = { ...EQUAL_STAGE_WEIGHTS, activation: c.weight };
      const [s] = scoreBacklog(
        [
          item({
            id: "x",
            lift: c.lift,
            confidence: c.confidence,
            reach: c.reach,
            effort: c.effort,
          }),
        ],
        ctx({ stageWeights: weights }),
      );
      expect(s?.expectedValue).toBeCloseTo(c.ev, 12);
      expect(s?.factors).toMatchObject({
        relativeLift: c.lift,
        confidence: c.confidence,
        liftCalibration: 1,
        liftEvidence: 0,
        stageWeight: c.weight,
        reach: c.reach,
        effort: c.effort,
        effortCalibration: 1,
        calibratedEffort: c.effort,
      });
      expect(s?.factors.calibratedLift).toBeCloseTo(c.lift * c.confidence, 12);
    },
  );

  it("says the author's estimate is used as is when there are no verdicts", () => {
    const [s] = scoreBacklog([item({ id: "x", tags: ["friction"] })], ctx());
    expect(s?.why).toBe(
      "activation weight 1.00 (no funnel diagnosis); no past verdicts for activation/onboarding/friction: author's estimate used as is",
    );
  });
});

describe("ranking against two funnel snapshots", () => {
  const W02 = "2026-01-05T09:00:00Z";
  const signups = (n: number) =>
    Array.from({ length: n }, (_, i) => at(W02, 0, "signed_up", `u${i}`));
  const activate = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, i) => at(W02, 5 * MINUTE, "activated", `u${from + i}`));
  const pay = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, i) =>
      at(W02, HOUR, "subscription_started", `u${from + i}`, { mrr: 50 }),
    );
  const snap = (events: unknown[]): FunnelSnapshot =>
    diagnose(events, {
      settings: DEFAULT_DIAGNOSE_SETTINGS,
      names: EventNamesSchema.parse({}),
      asOf: Date.parse("2026-03-01T00:00:00Z"),
    });
  // A: 100 signups, 10 activate (10 % vs 40 %), 10 pay (10 % vs 2–5 %): activation leaks.
  const leakyActivation = snap([...signups(100), ...activate(0, 10), ...pay(0, 10)]);
  // B: 100 signups, 50 activate (50 %), 1 pays (1 % vs 2–5 %): monetization leaks.
  const leakyMonetization = snap([...signups(100), ...activate(0, 50), ...pay(0, 1)]);

  const backlog = [
    item({ id: "onboarding-checklist", stage: "activation", surface: "onboarding", lift: 0.06 }),
    item({
      id: "annual-plan-discount",
      stage: "monetization",
      surface: "pricing-page",
      lift: 0.06,
    }),
  ];
  const rank = (snapshot: FunnelSnapshot) =>
    scoreBacklog(backlog, ctx({ stageWeights: snapshot.stageWeights, snapshot }));

  it("puts the activation item on top when activation leaks, and says why", () => {
    expect(leakyActivation.weakestStage).toBe("activation");
    const [top, second] = rank(leakyActivation);
    expect(top?.id).toBe("onboarding-checklist");
    expect(second?.id).toBe("annual-plan-discount");
    expect(top?.why).toMatch(
      /^activation rate is 30 pts under benchmark \(10 % vs 40 %\), weight \d\.\d\d; no past verdicts/,
    );
    expect(second?.why).toMatch(
      /^free-to-paid conversion meets its benchmark \(10 % vs 2–5 % freemium\)/,
    );
  });

  it("puts the monetization item on top when free-to-paid leaks, and says why", () => {
    expect(leakyMonetization.weakestStage).toBe("monetization");
    const [top, second] = rank(leakyMonetization);
    expect(top?.id).toBe("annual-plan-discount");
    expect(second?.id).toBe("onboarding-checklist");
    expect(top?.why).toMatch(
      /^free-to-paid conversion is 1 pt under benchmark \(1 % vs 2–5 % freemium\), weight \d\.\d\d;/,
    );
    expect(second?.why).toMatch(/^activation rate meets its benchmark \(50 % vs 40 %\)/);
    expect(top?.factors.stageWeight).toBe(leakyMonetization.stageWeights.monetization);
  });
});

describe("calibration from past verdicts", () => {
  // Five onboarding verdicts that each delivered 40 % of the estimate: r = 0.4, k = 5, κ = 3,
  // calibration 1 + 5/8 · (0.4 − 1) = 0.625.
  const priors = computePriors(
    Array.from({ length: 5 }, (_, i) =>
      observation({
        itemId: `old-${i}`,
        estimatedLift: 0.1,
        observedLift: 0.04,
        surface: "onboarding",
      }),
    ),
  );

  it("shrinks the author's lift and quotes the evidence", () => {
    const [s] = scoreBacklog([item({ id: "x", lift: 0.1, confidence: 0.5 })], ctx({ priors }));
    // Both the stage (activation) and the surface (onboarding) groups hold the same five verdicts.
    expect(s?.factors.liftCalibration).toBeCloseTo(0.625, 12);
    expect(s?.factors.liftEvidence).toBe(10);
    expect(s?.factors.calibratedLift).toBeCloseTo(0.05 * 0.625, 12);
    expect(s?.why).toBe(
      "activation weight 1.00 (no funnel diagnosis); onboarding changes delivered 40 % of their estimate over 5 verdicts (lift × 0.63)",
    );
  });

  it("averages the item's groups weighted by their verdict counts", () => {
    // Surface checkout: 1 verdict with r = 2 → 1 + 1/4 · 1 = 1.25.
    // Tag friction: 3 verdicts with r = 0.5 → 1 − 3/6 · 0.5 = 0.75.
    // Combined: (1·1.25 + 3·0.75) / 4 = 0.875. The stage has no verdicts of its own.
    const mixed = computePriors([
      observation({
        itemId: "a",
        estimatedLift: 0.1,
        observedLift: 0.2,
        stage: "monetization",
        surface: "checkout",
      }),
      ...Array.from({ length: 3 }, (_, i) =>
        observation({
          itemId: `f${i}`,
          estimatedLift: 0.1,
          observedLift: 0.05,
          stage: "retention",
          surface: "emails",
          tags: ["friction"],
        }),
      ),
    ]);
    const [s] = scoreBacklog(
      [item({ id: "y", stage: "activation", surface: "checkout", tags: ["friction"] })],
      ctx({ priors: mixed }),
    );
    expect(s?.factors.liftCalibration).toBeCloseTo(0.875, 12);
    expect(s?.factors.liftEvidence).toBe(4);
    expect(s?.why).toContain(
      "changes tagged friction delivered 50 % of their estimate over 3 verdicts",
    );
  });

  it("divides by the calibrated effort when verdicts recorded actual effort", () => {
    // Planned 2, took 4 each time, two verdicts: ratio 2, calibration 1 + 2/5 · 1 = 1.4.
    const slow = computePriors(
      [0, 1].map((i) =>
        observation({
          itemId: `s${i}`,
          estimatedLift: 0.1,
          observedLift: 0.1,
          effort: 2,
          actualEffort: 4,
        }),
      ),
    );
    const [s] = scoreBacklog(
      [item({ id: "z", lift: 0.1, confidence: 1, effort: 2 })],
      ctx({ priors: slow }),
    );
    expect(s?.factors.effortCalibration).toBeCloseTo(1.4, 12);
    expect(s?.factors.calibratedEffort).toBeCloseTo(2.8, 12);
    expect(s?.expectedValue).toBeCloseTo(0.1 / 2.8, 12);
    expect(s?.why).toContain("effort counted at 1.40× plan");
  });
});

describe("eligibility and order", () => {
  const backlog = [
    item({ id: "shipped-one", surface: "a", lift: 0.9 }),
    item({ id: "blocked-one", surface: "b", lift: 0.8 }),
    item({ id: "busy-surface", surface: "live", lift: 0.7 }),
    item({ id: "small", surface: "c", lift: 0.1 }),
    item({ id: "big", surface: "d", lift: 0.2 }),
  ];
  const scored = scoreBacklog(
    backlog,
    ctx({
      shippedIds: new Set(["shipped-one"]),
      blockedIds: new Set(["blocked-one"]),
      liveSurfaces: new Set(["live"]),
    }),
  );

  it("ranks eligible items first and keeps the rest with their reason", () => {
    expect(scored.map((s) => [s.id, s.rank, s.eligible, s.ineligible])).toEqual([
      ["big", 1, true, undefined],
      ["small", 2, true, undefined],
      ["shipped-one", null, false, "shipped"],
      ["blocked-one", null, false, "blocked"],
      ["busy-surface", null, false, "surface-live"],
    ]);
    expect(scored[4]?.why).toBe("not eligible: surface live already has a live experiment");
  });

  it("breaks ties by smaller effort, then by id, whatever the input order", () => {
    const tied = [
      item({ id: "b-item", surface: "s1", lift: 0.1, effort: 2 }),
      item({ id: "a-item", surface: "s2", lift: 0.1, effort: 2 }),
      item({ id: "cheap", surface: "s3", lift: 0.05, effort: 1 }), // same EV, half the effort
    ];
    const ids = (list: typeof tied) => scoreBacklog(list, ctx()).map((s) => s.id);
    expect(ids(tied)).toEqual(["cheap", "a-item", "b-item"]);
    expect(ids([...tied].reverse())).toEqual(["cheap", "a-item", "b-item"]);
  });
});
