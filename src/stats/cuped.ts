/**
 * CUPED (regression adjustment on a pre-period covariate), as in gbstats'
 * RegressionAdjustedStatistic: each arm's mean becomes mean(post) − θ·mean(pre), with one θ
 * pooled over both arms of a comparison so the adjustment cannot favour either arm.
 */
import {
  type Column,
  columnCovariance,
  columnMean,
  columnVariance,
  type Moments,
} from "./metric-moments.js";

/** One arm's post-period and pre-period columns over the same n units. */
export interface CupedArm {
  n: number;
  post: Column;
  pre: Column;
  /** Σ post·pre */
  sumProductPre: number;
}

/** An arm's moments after adjustment, plus the raw mean that stays the lift's denominator. */
export interface AdjustedArm extends Moments {
  unadjustedMean: number;
}

/**
 * θ = Cov(post, pre) / Var(pre) over both arms pooled. Returns 0 (no adjustment) when the pooled
 * pre- or post-period variance is 0, where the regression is undefined.
 */
export function pooledTheta(a: CupedArm, b: CupedArm): number {
  const n = a.n + b.n;
  const post = joinColumns(a.post, b.post);
  const pre = joinColumns(a.pre, b.pre);
  const preVariance = columnVariance(n, pre);
  if (preVariance <= 0 || columnVariance(n, post) <= 0) return 0;
  return columnCovariance(n, post, pre, a.sumProductPre + b.sumProductPre) / preVariance;
}

export function adjustArm(arm: CupedArm, theta: number): AdjustedArm {
  const { n } = arm;
  const postMean = columnMean(n, arm.post);
  const postVariance = columnVariance(n, arm.post);
  const variance =
    n <= 1
      ? 0
      : postVariance +
        theta * theta * columnVariance(n, arm.pre) -
        2 * theta * columnCovariance(n, arm.post, arm.pre, arm.sumProductPre);
  return {
    n,
    mean: postMean - theta * columnMean(n, arm.pre),
    variance,
    unadjustedMean: postMean,
  };
}

function joinColumns(a: Column, b: Column): Column {
  return {
    sum: a.sum + b.sum,
    sumSquares: a.sumSquares + b.sumSquares,
    binary: a.binary && b.binary,
  };
}
