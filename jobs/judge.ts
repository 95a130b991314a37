import type { ExperimentRecord, MetricResult, VerdictRecord } from "../src/domain/experiment.js";
import type { Measurement } from "../src/domain/measurement.js";
import { isGuardrailBreached } from "../src/stats/evidence.js";
import {
  type AnalyzeInput,
  type AnalyzeOutput,
  analyze,
  type Comparison,
  type VerdictArgs,
} from "../src/stats/index.js";

export const ALPHA = 0.05;

export interface Judgement {
  method: "fixed" | "sequential";
  analysis: AnalyzeOutput;
  /** What the pre-registered rule (`decideVerdict`, `checkEarlyRollback`) reads. */
  args: VerdictArgs;
  users: { name: string; users: number }[];
  primary: MetricResult;
  guardrails: MetricResult[];
}

/**
 * Reads a measurement the way the pre-registered rule needs it: the primary metric and each
 * guardrail compared treatment vs control, with the sample-ratio check. `sequential` for the
 * daily peeks (always-valid intervals), `fixed` for the verdict at the end of the window.
 */
export function judge(
  experiment: ExperimentRecord,
  measurement: Measurement,
  method: "fixed" | "sequential",
): Judgement {
  const input = { alpha: ALPHA, method, correction: "none", ...measurement } as AnalyzeInput;
  const analysis = analyze(input);
  const item = experiment.item;
  const comparisonOf = (name: string): Comparison => {
    const comparison = analysis.metrics.find((m) => m.name === name)?.comparisons[0];
    if (!comparison) throw new Error(`metric ${name} is missing from the analysis`);
    return comparison;
  };
  const guardrails = item.guardrails.map((g) => ({
    name: g.name,
    maxRelativeDrop: g.maxRelativeDrop,
    higherIsBetter: g.higherIsBetter,
    comparison: comparisonOf(g.name),
  }));
  const primary = comparisonOf(item.primaryMetric.name);
  return {
    method,
    analysis,
    args: {
      primary,
      primaryHigherIsBetter: item.primaryMetric.higherIsBetter,
      guardrails,
      srmMismatch: analysis.srm.mismatch,
      alpha: ALPHA,
    },
    users: measurement.variants.map((v) => ({ name: v.name, users: v.users })),
    primary: resultOf(item.primaryMetric.name, primary),
    guardrails: guardrails.map((g) => ({
      ...resultOf(g.name, g.comparison),
      maxRelativeDrop: g.maxRelativeDrop,
      breached: isGuardrailBreached(g.comparison, g.maxRelativeDrop, g.higherIsBetter),
    })),
  };
}

export function verdictRecord(
  judgement: Judgement,
  outcome: { decision: VerdictRecord["decision"]; rule: string; reasons: string[]; early: boolean },
  applied: string,
  decidedAt: Date,
): VerdictRecord {
  return {
    ...outcome,
    method: judgement.method,
    variants: judgement.users,
    srm: judgement.analysis.srm,
    primary: judgement.primary,
    guardrails: judgement.guardrails,
    applied,
    decidedAt: decidedAt.toISOString(),
  };
}

function resultOf(name: string, c: Comparison): MetricResult {
  return {
    name,
    relativeLift: c.relativeLift,
    se: c.se,
    ci: c.ci,
    pValue: c.pValue,
    chanceToWin: c.chanceToWin,
    significant: c.significant,
  };
}
