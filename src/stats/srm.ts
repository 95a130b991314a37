/**
 * Sample-ratio mismatch: Pearson's χ² test of the users each variant received against the
 * split it was designed to receive (gbstats' check_srm). A mismatch means the assignment or
 * the logging is broken, so no effect estimate from the experiment can be trusted.
 */
import { chiSquareSurvival } from "./distributions.js";

/** Statsig and gbstats alike flag a mismatch below this p-value. */
export const SRM_THRESHOLD = 0.001;

export interface SrmResult {
  pValue: number;
  mismatch: boolean;
}

/**
 * @param users observed users per variant
 * @param weights designed share per variant (any positive scale; normalised here). A variant
 *   with weight 0 is left out of the statistic, as it was never meant to receive users.
 */
export function checkSrm(users: readonly number[], weights: readonly number[]): SrmResult {
  const totalUsers = users.reduce((a, b) => a + b, 0);
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  if (totalUsers <= 0 || totalWeight <= 0 || users.length < 2) {
    return { pValue: 1, mismatch: false };
  }
  let chiSquare = 0;
  users.forEach((observed, i) => {
    const weight = weights[i] ?? 0;
    if (weight <= 0) return;
    const expected = (weight / totalWeight) * totalUsers;
    chiSquare += (observed - expected) ** 2 / expected;
  });
  const pValue = chiSquareSurvival(chiSquare, users.length - 1);
  return { pValue, mismatch: pValue < SRM_THRESHOLD };
}
