/**
 * How one comparison reads against a decision rule: is the treatment significantly better,
 * significantly worse, or neither; has a guardrail fallen beyond its tolerance. Shared by the
 * final verdict and the daily early-rollback check so both read numbers the same way.
 */
import type { Comparison } from "./analyze-output.js";

export type Direction = "better" | "worse" | "unclear";

/**
 * Frequentist comparisons: the (adjusted, when present) p-value below alpha, with the sign of
 * the lift. Bayesian comparisons: chance to win beyond 1 − alpha/2 either way, which is the
 * same as the 1 − alpha credible interval excluding 0.
 */
export function directionOf(
  comparison: Comparison,
  higherIsBetter: boolean,
  alpha: number,
): Direction {
  if (comparison.pValue !== null) {
    const p = comparison.pValueAdjusted ?? comparison.pValue;
    if (!(p < alpha) || comparison.relativeLift === 0) return "unclear";
    return comparison.relativeLift > 0 === higherIsBetter ? "better" : "worse";
  }
  if (comparison.chanceToWin !== null) {
    // chanceToWin already counts a drop as a win for lower-is-better metrics.
    if (comparison.chanceToWin > 1 - alpha / 2) return "better";
    if (comparison.chanceToWin < alpha / 2) return "worse";
  }
  return "unclear";
}

/**
 * A guardrail is breached when its interval lies wholly beyond the tolerated relative drop:
 * the data say, at the analysis' confidence level, that it got worse by more than
 * `maxRelativeDrop`. For a lower-is-better guardrail, "drop" means a rise.
 */
export function isGuardrailBreached(
  comparison: Comparison,
  maxRelativeDrop: number,
  higherIsBetter: boolean,
): boolean {
  const [low, high] = comparison.ci;
  if (low === 0 && high === 0) return false; // no result
  return higherIsBetter ? high < -maxRelativeDrop : low > maxRelativeDrop;
}

/** True when the point estimate alone is worse than the tolerance (a warning, not a breach). */
export function isGuardrailAtRisk(
  comparison: Comparison,
  maxRelativeDrop: number,
  higherIsBetter: boolean,
): boolean {
  const lift = comparison.relativeLift;
  return higherIsBetter ? lift < -maxRelativeDrop : lift > maxRelativeDrop;
}

export function describe(name: string, c: Comparison): string {
  const ci = `[${percent(c.ci[0])}, ${percent(c.ci[1])}]`;
  const evidence =
    c.pValue !== null
      ? `p = ${format(c.pValueAdjusted ?? c.pValue)}${c.pValueAdjusted !== null ? " (adjusted)" : ""}`
      : `chance to win ${percent(c.chanceToWin ?? 0.5, false)}`;
  return `${name} ${percent(c.relativeLift)} (interval ${ci}, ${evidence})`;
}

function percent(x: number, signed = true): string {
  const text = `${(x * 100).toFixed(2)}%`;
  return signed && x > 0 ? `+${text}` : text;
}

function format(p: number): string {
  return p < 0.0001 ? p.toExponential(1) : p.toFixed(4);
}
