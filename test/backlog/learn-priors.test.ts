import { describe, expect, it } from "vitest";
import {
  computePriors,
  DEFAULT_KAPPA,
  emptyPriors,
  shrinkTowardsOne,
} from "../../src/backlog/learn-priors.js";
import { observation } from "./score-fixtures.js";

describe("computePriors: delivery ratio r = Σxo / Σx², calibration 1 + k/(k+κ)·(r − 1)", () => {
  it("computes a group's ratio and shrinkage by hand", () => {
    // x = relativeLift × confidence: 0.10 × 1 and 0.10 × 0.5; observed 0.04 and 0.02.
    // r = (0.10·0.04 + 0.05·0.02) / (0.10² + 0.05²) = 0.005 / 0.0125 = 0.4; k = 2, κ = 3:
    // calibration = 1 + 2/5 · (0.4 − 1) = 0.76.
    const priors = computePriors([
      observation({ estimatedLift: 0.1, confidence: 1, observedLift: 0.04 }),
      observation({ estimatedLift: 0.1, confidence: 0.5, observedLift: 0.02 }),
    ]);
    const g = priors.stage.activation;
    expect(g?.verdicts).toBe(2);
    expect(g?.deliveryRatio).toBeCloseTo(0.4, 12);
    expect(g?.liftCalibration).toBeCloseTo(0.76, 12);
    expect(priors.surface.onboarding?.liftCalibration).toBeCloseTo(0.76, 12);
    expect(priors.kappa).toBe(DEFAULT_KAPPA);
  });

  // An author who always doubles the truth: estimate 0.10 at confidence 1, truth 0.05.
  // r = 0.5 exactly, so the calibration after k verdicts is 1 − 0.5 · k/(k+3).
  it.each([
    { k: 0, calibration: 1 },
    { k: 1, calibration: 0.875 },
    { k: 3, calibration: 0.75 },
    { k: 12, calibration: 0.6 },
    { k: 97, calibration: 0.515 },
  ])("an author who doubles the truth, after $k verdicts: × $calibration", ({ k, calibration }) => {
    const observations = Array.from({ length: k }, (_, i) =>
      observation({ itemId: `item-${i}`, estimatedLift: 0.1, observedLift: 0.05 }),
    );
    const priors = computePriors(observations);
    expect(priors.overall.liftCalibration).toBeCloseTo(calibration, 12);
    expect(priors.overall.deliveryRatio).toBe(k === 0 ? null : 0.5);
    // The next 0.10 promise is calibrated to ≈ the truth (0.05) once evidence piles up.
    if (k === 97) expect(0.1 * priors.overall.liftCalibration).toBeCloseTo(0.05, 2);
  });

  it("follows k/(k+κ) for another κ", () => {
    const observations = [observation({ estimatedLift: 0.1, observedLift: 0.2 })]; // r = 2
    expect(computePriors(observations, 1).overall.liftCalibration).toBeCloseTo(1.5, 12);
    expect(computePriors(observations, 9).overall.liftCalibration).toBeCloseTo(1.1, 12);
    expect(() => computePriors(observations, 0)).toThrow(RangeError);
  });

  it("learns win rate and effort accuracy where actual effort was recorded", () => {
    const priors = computePriors([
      observation({
        estimatedLift: 0.1,
        observedLift: 0.1,
        decision: "ship",
        effort: 2,
        actualEffort: 3,
      }),
      observation({
        estimatedLift: 0.1,
        observedLift: 0,
        decision: "rollback",
        effort: 4,
        actualEffort: 6,
      }),
      observation({ estimatedLift: 0.1, observedLift: 0.01, decision: "inconclusive", effort: 1 }),
    ]);
    const g = priors.overall;
    expect(g.wins).toBe(1);
    expect(g.winRate).toBeCloseTo(1 / 3, 12);
    expect(g.effortVerdicts).toBe(2);
    // Σ actual / Σ planned = 9 / 6 = 1.5, m = 2: 1 + 2/5 · 0.5 = 1.2.
    expect(g.effortRatio).toBe(1.5);
    expect(g.effortCalibration).toBeCloseTo(1.2, 12);
  });

  it("groups per stage, surface and tag, counting a repeated tag once", () => {
    const priors = computePriors([
      observation({
        estimatedLift: 0.1,
        observedLift: 0.05,
        stage: "activation",
        surface: "onboarding",
        tags: ["friction", "friction"],
      }),
      observation({
        estimatedLift: 0.1,
        observedLift: 0.1,
        stage: "monetization",
        surface: "pricing-page",
        tags: ["friction"],
      }),
    ]);
    expect(Object.keys(priors.stage)).toEqual(["activation", "monetization"]);
    expect(Object.keys(priors.surface)).toEqual(["onboarding", "pricing-page"]);
    expect(priors.tag.friction?.verdicts).toBe(2);
    // r = (0.1·0.05 + 0.1·0.1) / (2 · 0.01) = 0.75.
    expect(priors.tag.friction?.deliveryRatio).toBeCloseTo(0.75, 12);
    expect(priors.stage.monetization?.deliveryRatio).toBeCloseTo(1, 12);
  });

  it("is a pure fold: order does not matter and an unusual tag stays a plain key", () => {
    const list = [
      observation({ itemId: "a", estimatedLift: 0.1, observedLift: 0.03, tags: ["__proto__"] }),
      observation({ itemId: "b", estimatedLift: 0.2, observedLift: 0.05, surface: "checkout" }),
      observation({ itemId: "c", estimatedLift: 0.05, observedLift: -0.01, tags: ["constructor"] }),
    ];
    const forward = computePriors(list);
    expect(JSON.stringify(computePriors([...list].reverse()))).toBe(JSON.stringify(forward));
    expect(Object.keys(forward.tag)).toEqual(["__proto__", "constructor"]);
    expect(Object.hasOwn(forward.tag, "__proto__")).toBe(true);
  });

  it("learns nothing about lift from zero estimates", () => {
    const g = computePriors([observation({ estimatedLift: 0, observedLift: 0.05 })]).overall;
    expect(g.deliveryRatio).toBeNull();
    expect(g.liftCalibration).toBe(1);
  });

  it("has neutral priors before any verdict", () => {
    const p = emptyPriors();
    expect(p.overall).toMatchObject({
      verdicts: 0,
      liftCalibration: 1,
      effortCalibration: 1,
      winRate: null,
    });
    expect(p.stage).toEqual({});
    expect(shrinkTowardsOne(0.2, 0, 3)).toBe(1);
  });
});
