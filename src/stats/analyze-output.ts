/** The output of `analyze` (DESIGN.md, "Statistics contract"). Every number is finite. */
import type { MetricType } from "./analyze-input-schema.js";
import type { SrmResult } from "./srm.js";

/** One non-baseline variant measured against the baseline (the first variant) on one metric. */
export interface Comparison {
  variant: string;
  /** Treatment's unadjusted mean. */
  mean: number;
  /** Baseline's unadjusted mean: the denominator of the relative lift. */
  baselineMean: number;
  /** Difference of (CUPED-adjusted, when `cuped`) means. */
  absoluteLift: number;
  /** absoluteLift / |baselineMean|; for bayesian, the posterior mean of the relative lift. */
  relativeLift: number;
  /** Standard error (bayesian: posterior sd) of the relative lift. */
  se: number;
  /** Interval of the relative lift at level 1 − alpha (credible interval for bayesian). */
  ci: [number, number];
  /** Two-sided p-value; null for bayesian. */
  pValue: number | null;
  /** p-value after the input's correction; null when correction is "none" or for bayesian. */
  pValueAdjusted: number | null;
  /** P(treatment better), respecting higherIsBetter; null for the frequentist methods. */
  chanceToWin: number | null;
  /** Expected loss (relative lift) of choosing [control, treatment]; null for frequentist. */
  risk: [number, number] | null;
  cuped: boolean;
  /**
   * Frequentist: (adjusted) p-value < alpha. Bayesian: the credible interval excludes 0.
   * Says nothing about direction; look at the sign of relativeLift.
   */
  significant: boolean;
}

export interface MetricResult {
  name: string;
  type: MetricType;
  higherIsBetter: boolean;
  comparisons: Comparison[];
}

export interface AnalyzeOutput {
  srm: SrmResult;
  metrics: MetricResult[];
}
