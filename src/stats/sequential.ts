/**
 * Sequential two-sided test with always-valid confidence intervals and p-values
 * (Waudby-Smith et al., "Time-uniform central limit theory", arXiv:2103.06476, as used by
 * gbstats' SequentialTwoSidedTTest). The interval holds simultaneously at every sample size,
 * so a daily check may look every day without inflating the false-positive rate.
 *
 * The tuning parameter τ is the total sample size at which the interval is tightest; results
 * are valid for any τ, only the width changes.
 */
import type { Effect } from "./effect-estimate.js";
import type { FrequentistResult } from "./frequentist.js";

export const DEFAULT_SEQUENTIAL_TUNING = 5000;

/** The mixing parameter ρ of the normal-mixture boundary, chosen to be tightest at n = τ. */
export function sequentialRho(alpha: number, tuning: number): number {
  const logTerm = -2 * Math.log(alpha);
  return Math.sqrt((logTerm + Math.log(logTerm + 1)) / tuning);
}

/**
 * @param totalN units in both arms together (the boundary grows with the whole sample)
 */
export function sequentialTest(
  effect: Effect,
  totalN: number,
  alpha: number,
  tuning: number = DEFAULT_SEQUENTIAL_TUNING,
): FrequentistResult {
  const rho = sequentialRho(alpha, tuning);
  const se = Math.sqrt(effect.variance);
  // Per-unit variance of the estimate: the boundary is written in terms of n and s².
  const s2 = effect.variance * totalN;
  const nRho2Plus1 = totalN * rho * rho + 1;
  const halfWidth = Math.sqrt(
    (s2 * 2 * nRho2Plus1 * Math.log(Math.sqrt(nRho2Plus1) / alpha)) / (totalN * rho) ** 2,
  );
  // p = 1 / e-value (eq. 155 of the paper), in log space so a huge e-value cannot overflow.
  const z2 = (effect.estimate * effect.estimate) / effect.variance;
  const logEValue = (rho * rho * z2 * totalN) / (2 * nRho2Plus1) - 0.5 * Math.log(nRho2Plus1);
  return {
    estimate: effect.estimate,
    se,
    ci: [effect.estimate - halfWidth, effect.estimate + halfWidth],
    pValue: Math.min(1, Math.exp(-logEValue)),
  };
}
