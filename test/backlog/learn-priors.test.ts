import { describe, expect, it } from "vitest";
import {
  computePriors,
  DEFAULT_KAPPA,
  emptyPriors,
  MIN_DEGREES_OF_FREEDOM,
  shrinkTowardsOne,
} from "../../src/backlog/learn-priors.js";
import { observation } from "./score-fixtures.js";

/** A verdict on surface `surface` whose item delivered `ratio` of its 0.10 estimate. */
const delivered = (surface: string, ratio: number, i: number, observedSe = 0.01) =>
  observation({
    itemId: `${surface}-${i}`,
    surface,
    estimatedLift: 0.1,
    observedLift: 0.1 * ratio,
    observedSe,
  });

// Below MIN_DEGREES_OF_FREEDOM + 1 informative verdicts the prior is κ pseudo-verdicts of typical
// precision; with equal precision that is calibration 1 + k/(k+κ)·(r − 1), r = Σxo / Σx².
describe("computePriors: the delivery ratio, shrunk towards 1 (by κ while verdicts are few)", () => {
  it("computes a group's ratio and shrinkage by hand", () => {
    // x = relativeLift × confidence: 0.10 × 1 and 0.10 × 0.5; observed 0.04 and 0.02, se 0.01.
    // r = (0.10·0.04 + 0.05·0.02) / (0.10² + 0.05²) = 0.005 / 0.0125 = 0.4; k = 2, κ = 3:
    // calibration = 1 + 2/5 · (0.4 − 1) = 0.76. (Both ratios are 0.4, so weighting them by
    // their precisions, 0.10²/0.01² and 0.05²/0.01², changes nothing here.)
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

  // An author who always doubles the truth: estimate 0.10 at confidence 1, measured 0.05 ± 0.01.
  // r = 0.5 exactly. Up to 10 verdicts: 1 − 0.5 · k/(k+3). From the 11th the prior is estimated
  // (see the last describe): every ratio is y = 0.5 with v = (0.01/0.1)² = 0.01, so
  // T = (Σ(y − 1)²/v − k) / Σ1/v = (25k − k)/100k = 0.24, no scatter (τ² = 0), σ² = 0.24,
  // U = Σ1/v = 100k, B = σ²U/(σ²U + 1) = 24k/(24k + 1): twelve verdicts that each pin the ratio
  // to ±0.1 and all say ½ leave little room for the author's word. (With κ = 3 for ever, k = 12
  // gave 0.6: a fixed κ counts a verdict as one vote however precise it is.)
  it.each([
    { k: 0, calibration: 1 },
    { k: 1, calibration: 0.875 },
    { k: 3, calibration: 0.75 },
    { k: 10, calibration: 1 - 0.5 * (10 / 13) },
    { k: 12, calibration: 1 - 0.5 * (288 / 289) },
    { k: 97, calibration: 1 - 0.5 * (2328 / 2329) },
  ])("an author who doubles the truth, after $k verdicts: × $calibration", ({ k, calibration }) => {
    const observations = Array.from({ length: k }, (_, i) =>
      observation({ itemId: `item-${i}`, estimatedLift: 0.1, observedLift: 0.05 }),
    );
    const priors = computePriors(observations);
    // Ten verdicts leave 9 degrees of freedom for the scatter: still κ; twelve leave 11.
    expect(k - 1 < MIN_DEGREES_OF_FREEDOM).toBe(k <= 10);
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

describe("computePriors: each verdict weighs by its precision", () => {
  it("pulls the delivery ratio towards the more precise verdict", () => {
    // Ratios 0.2 (se 0.01, precision w = 0.1²/0.01² = 100) and 1.0 (se 0.03, w = 100/9):
    // r = (100·0.2 + 100/9·1) / (100 + 100/9) = 280/1000 = 0.28, not the unweighted 0.6.
    // Two verdicts: κ stands in, and for the whole pool B = k/(k+κ) = 2/5: 1 − 0.4·0.72 = 0.712.
    const g = computePriors([
      delivered("onboarding", 0.2, 1, 0.01),
      delivered("onboarding", 1, 2, 0.03),
    ]).overall;
    expect(g.deliveryRatio).toBeCloseTo(0.28, 12);
    expect(g.liftCalibration).toBeCloseTo(0.712, 12);
  });

  it("learns no lift from a verdict that measured nothing (se 0), but counts it", () => {
    const g = computePriors([
      delivered("onboarding", 0.5, 1),
      observation({ itemId: "no-result", estimatedLift: 0.1, observedLift: 0, observedSe: 0 }),
    ]).overall;
    expect(g.verdicts).toBe(2);
    expect(g.deliveryRatio).toBeCloseTo(0.5, 12);
    expect(g.liftCalibration).toBeCloseTo(1 - 0.5 * (1 / 4), 12);
  });

  it("moves less on noisy verdicts than on precise ones showing the same ratios", () => {
    // Sixteen verdicts whose items delivered half their estimate, give or take 0.3.
    const ratios = [
      0.3, 0.7, 0.4, 0.6, 0.5, 0.5, 0.2, 0.8, 0.45, 0.55, 0.35, 0.65, 0.5, 0.5, 0.4, 0.6,
    ];
    const calibrationAt = (se: number) =>
      computePriors(ratios.map((r, i) => delivered("onboarding", r, i, se))).overall;
    const moves = [0.005, 0.02, 0.05, 0.1].map((se) => {
      const g = calibrationAt(se);
      expect(g.deliveryRatio).toBeCloseTo(0.5, 12);
      return 1 - g.liftCalibration;
    });
    // Precise: each verdict pins its ratio to ±0.05; the calibration goes almost all the way to ½.
    expect(moves[0]).toBeGreaterThan(0.49);
    for (let i = 1; i < moves.length; i++) {
      expect(moves[i], `se step ${i}`).toBeLessThan(moves[i - 1] as number);
    }
    // se 0.1 on a 0.1 estimate: each ratio is ±1, and a spread of measured ratios around 1 no
    // wider than that noise is no evidence against the author (T = 0): the calibration stays 1.
    expect(moves[3]).toBe(0);
  });
});

describe("computePriors with enough verdicts: the prior is estimated (method of moments)", () => {
  // Twelve verdicts, x = 0.1, se 0.01 (v = 0.01, w = 100 each), on two surfaces of one stage:
  //   pricing-page delivered 0.2 0.4 0.3 0.5 0.6 0.4 (mean 0.4), onboarding 0.9 1.1 0.8 1.2 1 1 (mean 1).
  // T = (Σ(y − 1)²/v − n) / Σ1/v = (236 − 12)/1200 = 14/75.
  // Surfaces: Q = Σ(y − ȳ_g)²/v = 10 + 10 = 20, df = 10, Σ_g(W_g − Σw²/W_g) = 2·(600 − 100):
  //   τ² = (20 − 10)/1000 = 0.01, σ² = 14/75 − 0.01 = 53/300.
  //   pricing-page: u = 1/(0.01 + 0.01) = 50, U = 300, B = 53/54, calibration 1 − 0.6·53/54.
  // Stage (one group, df 11): Q = 128, scale 1200 − 100 = 1100: τ² = 117/1100, σ² = 53/660;
  //   u = 1100/128, U = 12·1100/128, B = 265/297, r = 0.7, calibration 1 − 0.3·265/297.
  const priors = computePriors([
    ...[0.2, 0.4, 0.3, 0.5, 0.6, 0.4].map((r, i) => delivered("pricing-page", r, i)),
    ...[0.9, 1.1, 0.8, 1.2, 1, 1].map((r, i) => delivered("onboarding", r, i)),
  ]);

  it("matches the closed form per surface and per stage", () => {
    expect(priors.surface["pricing-page"]?.deliveryRatio).toBeCloseTo(0.4, 12);
    expect(priors.surface["pricing-page"]?.liftCalibration).toBeCloseTo(1 - 0.6 * (53 / 54), 12);
    expect(priors.surface.onboarding?.liftCalibration).toBeCloseTo(1, 12);
    expect(priors.stage.activation?.deliveryRatio).toBeCloseTo(0.7, 12);
    expect(priors.stage.activation?.liftCalibration).toBeCloseTo(1 - 0.3 * (265 / 297), 12);
    expect(priors.overall.liftCalibration).toBeCloseTo(1 - 0.3 * (265 / 297), 12);
  });

  it("trusts a grouping that explains the scatter more than one that mixes it", () => {
    // Surfaces explain most of the spread (τ² 0.01), so six verdicts move a surface 98 % of the
    // way; the stage mixes two different surfaces (τ² 0.106) and moves 89 % of the way on twelve.
    const surfaceMove = (1 - (priors.surface["pricing-page"]?.liftCalibration ?? 1)) / 0.6;
    const stageMove = (1 - (priors.stage.activation?.liftCalibration ?? 1)) / 0.3;
    expect(surfaceMove).toBeGreaterThan(stageMove);
  });
});
