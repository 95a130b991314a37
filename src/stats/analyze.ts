/**
 * `analyze`: sufficient statistics per variant in, one comparison per metric × non-baseline
 * variant out (DESIGN.md, "Statistics contract"). Pure: no I/O, no clock, no randomness.
 */
import {
  ANALYZE_DEFAULTS,
  type AnalyzeInput,
  type AnalyzeMetric,
  type MeanStats,
  type ProportionStats,
} from "./analyze-input-schema.js";
import type { AnalyzeOutput, Comparison, MetricResult } from "./analyze-output.js";
import { type BayesianResult, bayesianTest, type GaussianPrior } from "./bayesian.js";
import { type AdjustedArm, adjustArm, type CupedArm, pooledTheta } from "./cuped.js";
import { estimateEffect } from "./effect-estimate.js";
import { type FrequentistResult, fixedHorizonTest } from "./frequentist.js";
import { proportionMoments, ratioMoments, sampleMeanMoments } from "./metric-moments.js";
import { adjustPValues } from "./multiple-testing.js";
import { sequentialTest } from "./sequential.js";
import { checkSrm } from "./srm.js";

type Method = "fixed" | "sequential" | "bayesian";

interface Settings {
  alpha: number;
  method: Method;
  sequentialTuning: number;
  prior: GaussianPrior | undefined;
}

export function analyze(input: AnalyzeInput): AnalyzeOutput {
  const settings: Settings = {
    alpha: input.alpha ?? ANALYZE_DEFAULTS.alpha,
    method: input.method ?? ANALYZE_DEFAULTS.method,
    sequentialTuning: input.sequentialTuning ?? ANALYZE_DEFAULTS.sequentialTuning,
    prior: input.prior,
  };
  const correction = input.correction ?? ANALYZE_DEFAULTS.correction;
  const { variants } = input;
  const srm = checkSrm(
    variants.map((v) => v.users),
    variants.map((v) => v.weight ?? 1),
  );

  const metrics: MetricResult[] = input.metrics.map((metric) => {
    const higherIsBetter = metric.higherIsBetter ?? true;
    const [baseline, ...treatments] = variants.map((v) => v.name);
    const comparisons = treatments.map((variant) =>
      compare(metric, baseline as string, variant, higherIsBetter, settings),
    );
    return { name: metric.name, type: metric.type, higherIsBetter, comparisons };
  });

  // Multiple testing spans every metric × variant of this analysis, read as one family.
  const all = metrics.flatMap((m) => m.comparisons);
  const frequentist = all.filter((c) => c.pValue !== null);
  if (correction !== "none" && frequentist.length > 0) {
    const adjusted = adjustPValues(
      frequentist.map((c) => c.pValue as number),
      correction,
    );
    frequentist.forEach((c, i) => {
      c.pValueAdjusted = adjusted[i] as number;
    });
  }
  for (const c of frequentist) c.significant = (c.pValueAdjusted ?? c.pValue ?? 1) < settings.alpha;
  return { srm, metrics };
}

function compare(
  metric: AnalyzeMetric,
  baselineName: string,
  variant: string,
  higherIsBetter: boolean,
  settings: Settings,
): Comparison {
  const { control, treatment, cuped } = arms(metric, baselineName, variant);
  const base = {
    variant,
    mean: treatment.unadjustedMean,
    baselineMean: control.unadjustedMean,
    cuped,
  };
  const effect = estimateEffect(control, treatment, "relative");
  if (effect === null) return noResult(base, settings.method);

  const absoluteLift = treatment.mean - control.mean;
  const { method, alpha } = settings;
  let comparison: Comparison;
  if (method === "bayesian") {
    const result = bayesianTest(effect, alpha, { prior: settings.prior, higherIsBetter });
    comparison = fromBayesian(base, absoluteLift, result);
  } else {
    const result =
      method === "sequential"
        ? sequentialTest(effect, control.n + treatment.n, alpha, settings.sequentialTuning)
        : fixedHorizonTest(effect, alpha);
    comparison = fromFrequentist(base, absoluteLift, result);
  }
  // Extreme inputs (say, sums near 1e308) can still overflow; a "no result" is more honest
  // than a NaN in the JSON.
  return isFiniteComparison(comparison) ? comparison : noResult(base, method);
}

interface Arms {
  control: AdjustedArm;
  treatment: AdjustedArm;
  cuped: boolean;
}

/** Builds control and treatment arms for a metric, CUPED-adjusted when pre-period data exist. */
function arms(metric: AnalyzeMetric, baselineName: string, variant: string): Arms {
  switch (metric.type) {
    case "ratio": {
      const [a, b] = pair(metric.stats, baselineName, variant);
      return { control: plain(ratioMoments(a)), treatment: plain(ratioMoments(b)), cuped: false };
    }
    case "proportion": {
      const [a, b] = pair(metric.stats, baselineName, variant);
      return (
        cupedArms(cupedArm(a, true), cupedArm(b, true)) ?? {
          control: plain(proportionMoments(a)),
          treatment: plain(proportionMoments(b)),
          cuped: false,
        }
      );
    }
    case "mean": {
      const [a, b] = pair(metric.stats, baselineName, variant);
      return (
        cupedArms(cupedArm(a, false), cupedArm(b, false)) ?? {
          control: plain(sampleMeanMoments(a)),
          treatment: plain(sampleMeanMoments(b)),
          cuped: false,
        }
      );
    }
  }
}

function pair<T>(stats: Record<string, T>, a: string, b: string): [T, T] {
  const statsA = stats[a];
  const statsB = stats[b];
  // parseAnalyzeInput rejects this; reaching it means a caller skipped validation.
  if (statsA === undefined || statsB === undefined) {
    throw new Error(`statistics missing for variant "${statsA === undefined ? a : b}"`);
  }
  return [statsA, statsB];
}

/** Adjusted arms, or null when CUPED does not apply: no pre-period data, or θ = 0. */
function cupedArms(a: CupedArm | null, b: CupedArm | null): Arms | null {
  if (!a || !b) return null;
  const theta = pooledTheta(a, b);
  // θ = 0: the pre-period says nothing, or a pooled variance is 0. Stay unadjusted.
  if (theta === 0) return null;
  return { control: adjustArm(a, theta), treatment: adjustArm(b, theta), cuped: true };
}

function cupedArm(s: MeanStats | ProportionStats, binaryPost: boolean): CupedArm | null {
  if (s.preSum === undefined || s.sumProductPre === undefined) return null;
  const sumSquares = "sumSquares" in s ? s.sumSquares : s.sum;
  // A proportion's pre-period is binary too unless its Σpre² says otherwise.
  const binaryPre = binaryPost && s.preSumSquares === undefined;
  return {
    n: s.n,
    post: { sum: s.sum, sumSquares: binaryPost ? s.sum : sumSquares, binary: binaryPost },
    pre: { sum: s.preSum, sumSquares: s.preSumSquares ?? s.preSum, binary: binaryPre },
    sumProductPre: s.sumProductPre,
  };
}

function plain(m: { n: number; mean: number; variance: number }): AdjustedArm {
  return { n: m.n, mean: m.mean, variance: m.variance, unadjustedMean: m.mean };
}

type Base = Pick<Comparison, "variant" | "mean" | "baselineMean" | "cuped">;

// The builders below spell every field out instead of spreading `base`: object spread of
// varying shapes was the hottest spot of the benchmark (a generic clone plus garbage).
function fromFrequentist(base: Base, absoluteLift: number, r: FrequentistResult): Comparison {
  return {
    variant: base.variant,
    mean: base.mean,
    baselineMean: base.baselineMean,
    absoluteLift,
    relativeLift: r.estimate,
    se: r.se,
    ci: r.ci,
    pValue: r.pValue,
    pValueAdjusted: null,
    chanceToWin: null,
    risk: null,
    cuped: base.cuped,
    significant: false, // set in analyze(), after any correction
  };
}

function fromBayesian(base: Base, absoluteLift: number, r: BayesianResult): Comparison {
  return {
    variant: base.variant,
    mean: base.mean,
    baselineMean: base.baselineMean,
    absoluteLift,
    relativeLift: r.estimate,
    se: r.se,
    ci: r.ci,
    pValue: null,
    pValueAdjusted: null,
    chanceToWin: r.chanceToWin,
    risk: r.risk,
    cuped: base.cuped,
    significant: r.ci[0] > 0 || r.ci[1] < 0,
  };
}

/**
 * The defined answer when there is nothing to estimate (an empty arm, zero variance, a control
 * mean of 0): lift 0, p 1, chance to win 0.5, never NaN or Infinity.
 */
function noResult(base: Base, method: Method): Comparison {
  const bayesian = method === "bayesian";
  return {
    ...base,
    mean: Number.isFinite(base.mean) ? base.mean : 0,
    baselineMean: Number.isFinite(base.baselineMean) ? base.baselineMean : 0,
    absoluteLift: 0,
    relativeLift: 0,
    se: 0,
    ci: [0, 0],
    pValue: bayesian ? null : 1,
    pValueAdjusted: null,
    chanceToWin: bayesian ? 0.5 : null,
    risk: bayesian ? [0, 0] : null,
    significant: false,
  };
}

function isFiniteComparison(c: Comparison): boolean {
  return (
    Number.isFinite(c.mean) &&
    Number.isFinite(c.baselineMean) &&
    Number.isFinite(c.absoluteLift) &&
    Number.isFinite(c.relativeLift) &&
    Number.isFinite(c.se) &&
    Number.isFinite(c.ci[0]) &&
    Number.isFinite(c.ci[1]) &&
    Number.isFinite(c.pValue ?? 0) &&
    Number.isFinite(c.chanceToWin ?? 0) &&
    Number.isFinite(c.risk?.[0] ?? 0) &&
    Number.isFinite(c.risk?.[1] ?? 0)
  );
}
