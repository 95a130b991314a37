/**
 * The daily check during the measurement window. It may only stop an experiment early, never
 * ship it: early shipping on a peek is how false wins are made. Feed it comparisons from
 * `analyze` with method "sequential", whose always-valid intervals make daily looks safe.
 *
 * Roll back when users are not splitting as designed (SRM), the primary metric is
 * significantly worse, or a guardrail is breached; otherwise continue.
 */
import type { VerdictArgs } from "./decide-verdict.js";
import { describe, directionOf, isGuardrailBreached } from "./evidence.js";

export type EarlyRollbackRule =
  | "srm-mismatch"
  | "primary-worse"
  | "guardrail-breached"
  | "continue";

export interface EarlyRollbackCheck {
  rollback: boolean;
  rule: EarlyRollbackRule;
  reasons: string[];
}

export function checkEarlyRollback(args: VerdictArgs): EarlyRollbackCheck {
  const { primary, primaryHigherIsBetter, guardrails, srmMismatch, alpha } = args;
  if (srmMismatch) {
    return {
      rollback: true,
      rule: "srm-mismatch",
      reasons: [
        "sample-ratio mismatch: users are not splitting as designed; stop exposing users until a human has looked",
      ],
    };
  }
  const breachReasons = guardrails
    .filter((g) => isGuardrailBreached(g.comparison, g.maxRelativeDrop, g.higherIsBetter))
    .map(
      (g) =>
        `guardrail ${describe(g.name, g.comparison)} is worse than its tolerated ${(g.maxRelativeDrop * 100).toFixed(1)}% drop`,
    );
  if (directionOf(primary, primaryHigherIsBetter, alpha) === "worse") {
    return {
      rollback: true,
      rule: "primary-worse",
      reasons: [
        `${describe("primary", primary)} is significantly worse than control`,
        ...breachReasons,
      ],
    };
  }
  if (breachReasons.length > 0) {
    return { rollback: true, rule: "guardrail-breached", reasons: breachReasons };
  }
  return {
    rollback: false,
    rule: "continue",
    reasons: [`${describe("primary", primary)}: no reason to stop early`],
  };
}
