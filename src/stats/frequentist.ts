/**
 * Fixed-horizon two-sided Welch t test on an effect (gbstats' TwoSidedTTest): valid when the
 * data are looked at once, at the planned end of the experiment.
 */
import { tQuantile, tTwoSidedPValue } from "./distributions.js";
import type { Effect } from "./effect-estimate.js";

export interface FrequentistResult {
  estimate: number;
  se: number;
  ci: [number, number];
  pValue: number;
}

export function fixedHorizonTest(effect: Effect, alpha: number): FrequentistResult {
  const se = Math.sqrt(effect.variance);
  const halfWidth = tQuantile(1 - alpha / 2, effect.dof) * se;
  return {
    estimate: effect.estimate,
    se,
    ci: [effect.estimate - halfWidth, effect.estimate + halfWidth],
    pValue: tTwoSidedPValue(effect.estimate / se, effect.dof),
  };
}
