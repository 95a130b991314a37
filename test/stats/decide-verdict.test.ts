import { describe, expect, it } from "vitest";
import type { Comparison } from "../../src/stats/analyze-output.js";
import { decideVerdict, type GuardrailInput } from "../../src/stats/decide-verdict.js";
import { checkEarlyRollback } from "../../src/stats/early-rollback.js";

/** A frequentist comparison with the given relative lift, interval and p-value. */
function freq(relativeLift: number, ci: [number, number], pValue: number): Comparison {
  return {
    variant: "treatment",
    mean: 0.1 * (1 + relativeLift),
    baselineMean: 0.1,
    absoluteLift: 0.1 * relativeLift,
    relativeLift,
    se: (ci[1] - ci[0]) / 3.92,
    ci,
    pValue,
    pValueAdjusted: null,
    chanceToWin: null,
    risk: null,
    cuped: false,
    significant: pValue < 0.05,
  };
}

function bayes(relativeLift: number, ci: [number, number], chanceToWin: number): Comparison {
  return { ...freq(relativeLift, ci, 1), pValue: null, chanceToWin, risk: [0.01, 0.01] };
}

const better = freq(0.06, [0.02, 0.1], 0.003);
const worse = freq(-0.06, [-0.1, -0.02], 0.003);
const flat = freq(0.01, [-0.03, 0.05], 0.6);

const guard = (comparison: Comparison, higherIsBetter = true): GuardrailInput => ({
  name: "paid",
  maxRelativeDrop: 0.05,
  higherIsBetter,
  comparison,
});
/** Significantly down, but by less than the 5 % tolerance. */
const guardMildDrop = guard(freq(-0.03, [-0.045, -0.015], 0.001));
/** Down by more than the tolerance, and significantly so: the whole interval is below −5 %. */
const guardBreached = guard(freq(-0.09, [-0.12, -0.06], 0.0001));
/** Estimated past the tolerance, but the interval reaches back above −5 %. */
const guardAtRisk = guard(freq(-0.07, [-0.15, 0.01], 0.09));

describe("decideVerdict", () => {
  it.each([
    {
      case: "primary better, no guardrails",
      primary: better,
      guardrails: [],
      srm: false,
      decision: "ship",
      rule: "primary-better",
    },
    {
      case: "primary better, guardrail dips within tolerance",
      primary: better,
      guardrails: [guardMildDrop],
      srm: false,
      decision: "ship",
      rule: "primary-better",
    },
    {
      case: "primary better, guardrail breached",
      primary: better,
      guardrails: [guardBreached],
      srm: false,
      decision: "rollback",
      rule: "guardrail-breached",
    },
    {
      case: "primary worse",
      primary: worse,
      guardrails: [],
      srm: false,
      decision: "rollback",
      rule: "primary-worse",
    },
    {
      case: "primary flat",
      primary: flat,
      guardrails: [],
      srm: false,
      decision: "inconclusive",
      rule: "no-significant-effect",
    },
    {
      case: "primary flat, guardrail breached",
      primary: flat,
      guardrails: [guardBreached],
      srm: false,
      decision: "rollback",
      rule: "guardrail-breached",
    },
    {
      case: "SRM with a winning primary",
      primary: better,
      guardrails: [],
      srm: true,
      decision: "inconclusive",
      rule: "srm-mismatch",
    },
    {
      case: "SRM with a losing primary",
      primary: worse,
      guardrails: [guardBreached],
      srm: true,
      decision: "inconclusive",
      rule: "srm-mismatch",
    },
    {
      case: "lower-is-better guardrail rising past tolerance",
      primary: better,
      guardrails: [guard(freq(0.09, [0.06, 0.12], 0.0001), false)],
      srm: false,
      decision: "rollback",
      rule: "guardrail-breached",
    },
    {
      case: "lower-is-better guardrail falling",
      primary: better,
      guardrails: [guard(freq(-0.09, [-0.12, -0.06], 0.0001), false)],
      srm: false,
      decision: "ship",
      rule: "primary-better",
    },
  ])("$case → $decision ($rule)", ({ primary, guardrails, srm, decision, rule }) => {
    const verdict = decideVerdict({
      primary,
      primaryHigherIsBetter: true,
      guardrails,
      srmMismatch: srm,
      alpha: 0.05,
    });
    expect(verdict.decision).toBe(decision);
    expect(verdict.rule).toBe(rule);
    expect(verdict.reasons.length).toBeGreaterThan(0);
  });

  it("for a lower-is-better primary, a significant drop ships and a rise rolls back", () => {
    const args = { primaryHigherIsBetter: false, guardrails: [], srmMismatch: false, alpha: 0.05 };
    expect(decideVerdict({ ...args, primary: worse }).decision).toBe("ship");
    expect(decideVerdict({ ...args, primary: better }).decision).toBe("rollback");
  });

  it("uses the adjusted p-value when a correction was applied", () => {
    const corrected = { ...better, pValueAdjusted: 0.09 };
    const verdict = decideVerdict({
      primary: corrected,
      primaryHigherIsBetter: true,
      guardrails: [],
      srmMismatch: false,
      alpha: 0.05,
    });
    expect(verdict.decision).toBe("inconclusive");
    expect(verdict.reasons[0]).toContain("(adjusted)");
  });

  it.each([
    { chanceToWin: 0.99, decision: "ship" },
    { chanceToWin: 0.9, decision: "inconclusive" },
    { chanceToWin: 0.01, decision: "rollback" },
  ])(
    "bayesian primary with chance to win $chanceToWin → $decision",
    ({ chanceToWin, decision }) => {
      const primary = bayes(0.05, [0.01, 0.09], chanceToWin);
      expect(
        decideVerdict({
          primary,
          primaryHigherIsBetter: true,
          guardrails: [],
          srmMismatch: false,
          alpha: 0.05,
        }).decision,
      ).toBe(decision);
    },
  );

  it("warns about a guardrail estimated past its tolerance without blocking the ship", () => {
    const verdict = decideVerdict({
      primary: better,
      primaryHigherIsBetter: true,
      guardrails: [guardAtRisk],
      srmMismatch: false,
      alpha: 0.05,
    });
    expect(verdict.decision).toBe("ship");
    expect(verdict.reasons.some((r) => r.startsWith("warning: guardrail paid -7.00%"))).toBe(true);
  });

  it("explains itself in words a growth lead can read", () => {
    const verdict = decideVerdict({
      primary: better,
      primaryHigherIsBetter: true,
      guardrails: [],
      srmMismatch: false,
      alpha: 0.05,
    });
    expect(verdict.reasons[0]).toBe(
      "primary +6.00% (interval [+2.00%, +10.00%], p = 0.0030) is significantly better than control; no guardrail breached",
    );
  });
});

describe("checkEarlyRollback", () => {
  it.each([
    {
      case: "winning primary never ships early",
      primary: better,
      guardrails: [],
      srm: false,
      rollback: false,
      rule: "continue",
    },
    {
      case: "flat primary",
      primary: flat,
      guardrails: [guardMildDrop],
      srm: false,
      rollback: false,
      rule: "continue",
    },
    {
      case: "significantly worse primary",
      primary: worse,
      guardrails: [],
      srm: false,
      rollback: true,
      rule: "primary-worse",
    },
    {
      case: "guardrail breached",
      primary: better,
      guardrails: [guardBreached],
      srm: false,
      rollback: true,
      rule: "guardrail-breached",
    },
    { case: "SRM", primary: flat, guardrails: [], srm: true, rollback: true, rule: "srm-mismatch" },
  ])("$case → rollback $rollback", ({ primary, guardrails, srm, rollback, rule }) => {
    const check = checkEarlyRollback({
      primary,
      primaryHigherIsBetter: true,
      guardrails,
      srmMismatch: srm,
      alpha: 0.05,
    });
    expect(check.rollback).toBe(rollback);
    expect(check.rule).toBe(rule);
    expect(check.reasons.length).toBeGreaterThan(0);
  });
});
