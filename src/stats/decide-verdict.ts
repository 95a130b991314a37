/**
 * The pre-registered verdict rule applied at the end of the measurement window.
 *
 *  1. Sample-ratio mismatch → inconclusive: the assignment is broken, no estimate can be
 *     trusted either way, and a human must look before anything is shipped or rolled back.
 *  2. Primary significantly worse, or any guardrail breached → rollback.
 *  3. Primary significantly better (its interval excludes 0 in the good direction) → ship.
 *  4. Otherwise → inconclusive.
 */
import type { Decision } from "../domain/verdict-observation.js";
import type { Comparison } from "./analyze-output.js";
import { describe, directionOf, isGuardrailAtRisk, isGuardrailBreached } from "./evidence.js";

export type { Decision };

/** Stable codes for which step of the rule decided; `reasons` carry the human text. */
export type VerdictRule =
  | "srm-mismatch"
  | "primary-worse"
  | "guardrail-breached"
  | "primary-better"
  | "no-significant-effect";

export interface GuardrailInput {
  name: string;
  /** Tolerated relative drop, e.g. 0.05 for "at most 5 % worse". */
  maxRelativeDrop: number;
  higherIsBetter: boolean;
  comparison: Comparison;
}

export interface VerdictArgs {
  primary: Comparison;
  primaryHigherIsBetter: boolean;
  guardrails: GuardrailInput[];
  srmMismatch: boolean;
  alpha: number;
}

export interface Verdict {
  decision: Decision;
  rule: VerdictRule;
  reasons: string[];
}

export function decideVerdict(args: VerdictArgs): Verdict {
  const { primary, primaryHigherIsBetter, guardrails, srmMismatch, alpha } = args;
  const primaryText = describe("primary", primary);
  if (srmMismatch) {
    return {
      decision: "inconclusive",
      rule: "srm-mismatch",
      reasons: [
        "sample-ratio mismatch: users did not split as designed, so the results cannot be trusted; a human must look at the assignment before shipping or rolling back",
        primaryText,
      ],
    };
  }

  const direction = directionOf(primary, primaryHigherIsBetter, alpha);
  const breached = guardrails.filter((g) =>
    isGuardrailBreached(g.comparison, g.maxRelativeDrop, g.higherIsBetter),
  );
  const breachReasons = breached.map(
    (g) =>
      `guardrail ${describe(g.name, g.comparison)} is worse than its tolerated ${(g.maxRelativeDrop * 100).toFixed(1)}% drop`,
  );

  if (direction === "worse") {
    return {
      decision: "rollback",
      rule: "primary-worse",
      reasons: [`${primaryText} is significantly worse than control`, ...breachReasons],
    };
  }
  if (breached.length > 0) {
    return {
      decision: "rollback",
      rule: "guardrail-breached",
      reasons: [primaryText, ...breachReasons],
    };
  }

  // Not a breach, but a lead deserves to see a guardrail whose estimate is past its tolerance.
  const warnings = guardrails
    .filter((g) => isGuardrailAtRisk(g.comparison, g.maxRelativeDrop, g.higherIsBetter))
    .map(
      (g) =>
        `warning: guardrail ${describe(g.name, g.comparison)} is estimated past its ${(g.maxRelativeDrop * 100).toFixed(1)}% tolerance, though not significantly`,
    );
  if (direction === "better") {
    return {
      decision: "ship",
      rule: "primary-better",
      reasons: [
        `${primaryText} is significantly better than control; no guardrail breached`,
        ...warnings,
      ],
    };
  }
  return {
    decision: "inconclusive",
    rule: "no-significant-effect",
    reasons: [`${primaryText}: no significant difference from control`, ...warnings],
  };
}
