/**
 * Reference values from GrowthBook gbstats' own test suite (packages/stats/tests), rounded to
 * 5 decimals there and compared after rounding here, exactly as gbstats does.
 */
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/stats/analyze.js";
import type { AnalyzeInput, AnalyzeMetric } from "../../src/stats/analyze-input-schema.js";
import { bayesianTest } from "../../src/stats/bayesian.js";
import { estimateEffect } from "../../src/stats/effect-estimate.js";
import { fixedHorizonTest } from "../../src/stats/frequentist.js";
import { sampleMeanMoments } from "../../src/stats/metric-moments.js";

const round5 = (x: number) => Math.round(x * 1e5) / 1e5;
const rounded = (xs: readonly number[]) => xs.map(round5);

const meanControl = { n: 3407, sum: 1396.87, sumSquares: 52377.9767 };
const meanTreatment = { n: 3461, sum: 2422.7, sumSquares: 134698.29 };

function twoArms(
  type: "proportion" | "mean",
  control: Record<string, number>,
  treatment: Record<string, number>,
  extra: Partial<AnalyzeInput> = {},
): AnalyzeInput {
  return {
    ...extra,
    variants: [
      { name: "control", users: control.n ?? 0 },
      { name: "treatment", users: treatment.n ?? 0 },
    ],
    metrics: [{ name: "m", type, stats: { control, treatment } } as unknown as AnalyzeMetric],
  };
}

function only(input: AnalyzeInput) {
  const comparison = analyze(input).metrics[0]?.comparisons[0];
  if (!comparison) throw new Error("no comparison");
  return comparison;
}

describe("fixed horizon (gbstats TestTwoSidedTTest)", () => {
  it.each([
    {
      case: "mean",
      input: twoArms("mean", meanControl, meanTreatment),
      lift: 0.70732,
      se: 0.37879,
      ci: [-0.03526, 1.44989],
      p: 0.06191,
    },
    {
      case: "proportion 14/28 vs 16/30",
      input: twoArms("proportion", { n: 28, sum: 14 }, { n: 30, sum: 16 }),
      lift: 0.06667,
      se: 0.2717,
      ci: [-0.47767, 0.61101],
      p: 0.80707,
    },
  ])("$case: relative lift, se, CI and p", ({ input, lift, se, ci, p }) => {
    const c = only(input);
    expect(round5(c.relativeLift)).toBe(lift);
    expect(round5(c.se)).toBe(se);
    expect(rounded(c.ci)).toEqual(ci);
    expect(round5(c.pValue ?? Number.NaN)).toBe(p);
    expect(c.chanceToWin).toBeNull();
    expect(c.risk).toBeNull();
  });

  it("mean: absolute lift 0.29, se 0.12478, CI (0.04538, 0.53462), p 0.02016", () => {
    const arm = (s: typeof meanControl) => ({
      ...sampleMeanMoments(s),
      unadjustedMean: s.sum / s.n,
    });
    const effect = estimateEffect(arm(meanControl), arm(meanTreatment), "absolute");
    if (!effect) throw new Error("expected an effect");
    const r = fixedHorizonTest(effect, 0.05);
    expect(round5(r.estimate)).toBe(0.29);
    expect(round5(r.se)).toBe(0.12478);
    expect(rounded(r.ci)).toEqual([0.04538, 0.53462]);
    expect(round5(r.pValue)).toBe(0.02016);
    expect(round5(only(twoArms("mean", meanControl, meanTreatment)).absoluteLift)).toBe(0.29);
  });

  it("missing variance (control n = 2 gives negative variance) → the defined no-result", () => {
    const c = only(twoArms("mean", { ...meanControl, n: 2 }, meanTreatment));
    expect(c).toMatchObject({ relativeLift: 0, se: 0, ci: [0, 0], pValue: 1, significant: false });
  });
});

describe("sequential (gbstats TestSequentialTTest)", () => {
  const seqControl = { n: 3000, sum: 1396.87, sumSquares: 52377.9767 };
  const seqTreatment = { n: 3461, sum: 2422.7, sumSquares: 134698.29 };
  it.each([
    {
      case: "mean, τ = 1000",
      input: twoArms("mean", seqControl, seqTreatment, {
        method: "sequential",
        sequentialTuning: 1000,
      }),
      lift: 0.50336,
      se: 0.33341,
      ci: [-0.55844, 1.56516],
      p: 1,
      cuped: false,
    },
    {
      case: "proportion 1396/3000 vs 2422/3461, default τ",
      input: twoArms(
        "proportion",
        { n: 3000, sum: 1396 },
        { n: 3461, sum: 2422 },
        {
          method: "sequential",
        },
      ),
      lift: 0.50386,
      se: 0.03386,
      ci: [0.40098, 0.60675],
      p: 0,
      cuped: false,
    },
    {
      case: "mean with CUPED",
      input: twoArms(
        "mean",
        { ...seqControl, preSum: 16.87, preSumSquares: 527.9767, sumProductPre: 1 },
        { ...seqTreatment, preSum: 22.7, preSumSquares: 1348.29, sumProductPre: 1 },
        { method: "sequential" },
      ),
      lift: 0.50338,
      se: 0.33341,
      ci: [-0.50969, 1.51646],
      p: 1,
      cuped: true,
    },
  ])("$case", ({ input, lift, se, ci, p, cuped }) => {
    const c = only(input);
    expect(round5(c.relativeLift)).toBe(lift);
    expect(round5(c.se)).toBe(se);
    expect(rounded(c.ci)).toEqual(ci);
    expect(round5(c.pValue ?? Number.NaN)).toBe(p);
    expect(c.cuped).toBe(cuped);
  });
});

describe("bayesian (gbstats EffectBayesianABTest)", () => {
  const gaussianControl = { n: 10, sum: 100, sumSquares: 1002.25 };
  const gaussianTreatment = { n: 10, sum: 105, sumSquares: 1111.5 };
  it.each([
    {
      case: "proportion 49/100 vs 51/100, flat prior",
      input: twoArms(
        "proportion",
        { n: 100, sum: 49 },
        { n: 100, sum: 51 },
        { method: "bayesian" },
      ),
      lift: 0.04082,
      sd: 0.14725,
      ci: [-0.24779, 0.32943],
      chanceToWin: 0.60918,
      risk: [0.0814, 0.04058],
    },
    {
      case: "mean, flat prior",
      input: twoArms("mean", gaussianControl, gaussianTreatment, { method: "bayesian" }),
      lift: 0.05,
      sd: 0.03572,
      ci: [-0.02, 0.12],
      chanceToWin: 0.91923,
      risk: [0.05131, 0.00131],
    },
    {
      case: "mean, informative prior N(0.1, variance 0.1)",
      input: twoArms("mean", gaussianControl, gaussianTreatment, {
        method: "bayesian",
        prior: { mean: 0.1, stddev: Math.sqrt(0.1) },
      }),
      lift: 0.05063,
      sd: 0.03549,
      ci: [-0.01893, 0.12019],
      chanceToWin: 0.92315,
      risk: [0.05186, 0.00123],
    },
  ])("$case", ({ input, lift, sd, ci, chanceToWin, risk }) => {
    const c = only(input);
    expect(round5(c.relativeLift)).toBe(lift);
    expect(round5(c.se)).toBe(sd);
    expect(rounded(c.ci)).toEqual(ci);
    expect(round5(c.chanceToWin ?? Number.NaN)).toBe(chanceToWin);
    expect(rounded(c.risk ?? [])).toEqual(risk);
    expect(c.pValue).toBeNull();
    expect(c.pValueAdjusted).toBeNull();
  });

  it("a lower-is-better metric swaps chance to win and the two risks", () => {
    const effect = { estimate: 0.04082, variance: 0.14725 ** 2, dof: 198 };
    const up = bayesianTest(effect, 0.05);
    const down = bayesianTest(effect, 0.05, { higherIsBetter: false });
    expect(down.chanceToWin).toBeCloseTo(1 - up.chanceToWin, 12);
    expect(down.risk).toEqual([up.risk[1], up.risk[0]]);
    expect(down.ci).toEqual(up.ci);
  });

  it("empty arms → chance 0.5, lift 0, risk [0, 0]", () => {
    const c = only(
      twoArms("proportion", { n: 0, sum: 0 }, { n: 0, sum: 0 }, { method: "bayesian" }),
    );
    expect(c).toMatchObject({ chanceToWin: 0.5, relativeLift: 0, risk: [0, 0], ci: [0, 0] });
  });
});
