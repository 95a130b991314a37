/**
 * Bayesian test on the effect (gbstats' EffectBayesianABTest): the estimated effect is treated
 * as a Gaussian likelihood and combined with a Gaussian prior on the effect; with no prior the
 * posterior is the likelihood itself (a flat, improper prior).
 */
import { normalCdf, normalPdf, normalQuantile } from "./distributions.js";
import type { Effect } from "./effect-estimate.js";

/** A proper Gaussian prior on the effect (on the relative lift when the effect is relative). */
export interface GaussianPrior {
  mean: number;
  stddev: number;
}

export interface BayesianResult {
  estimate: number;
  /** Posterior standard deviation. */
  se: number;
  /** Equal-tailed credible interval with 1 − alpha mass. */
  ci: [number, number];
  /** Posterior probability that treatment is better (respecting `higherIsBetter`). */
  chanceToWin: number;
  /** Expected loss of choosing [control, treatment], in units of the effect. */
  risk: [number, number];
}

export function bayesianTest(
  effect: Effect,
  alpha: number,
  options: { prior?: GaussianPrior; higherIsBetter?: boolean } = {},
): BayesianResult {
  const { prior, higherIsBetter = true } = options;
  let precision = 1 / effect.variance;
  let mean = effect.estimate;
  if (prior) {
    const priorPrecision = 1 / (prior.stddev * prior.stddev);
    mean =
      (effect.estimate * precision + prior.mean * priorPrecision) / (precision + priorPrecision);
    precision += priorPrecision;
  }
  const sd = Math.sqrt(1 / precision);
  const z = mean / sd;
  const halfWidth = normalQuantile(1 - alpha / 2) * sd;
  const probPositive = normalCdf(z);

  // Expected losses of a Gaussian effect X ~ N(μ, σ²), in closed form (truncated-normal means):
  //   choosing control loses E[max(X, 0)]  = μΦ(μ/σ) + σφ(μ/σ)
  //   choosing treatment loses E[max(−X, 0)] = σφ(μ/σ) − μΦ(−μ/σ)
  const density = sd * normalPdf(z);
  const lossIfControl = mean * probPositive + density;
  const lossIfTreatment = density - mean * (1 - probPositive);
  // For a lower-is-better metric a positive effect is a loss: the arms swap roles.
  return {
    estimate: mean,
    se: sd,
    ci: [mean - halfWidth, mean + halfWidth],
    chanceToWin: higherIsBetter ? probPositive : 1 - probPositive,
    risk: higherIsBetter ? [lossIfControl, lossIfTreatment] : [lossIfTreatment, lossIfControl],
  };
}
