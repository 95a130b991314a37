import { PermanentError } from "../src/domain/errors.js";
import type { ExperimentRecord, MetricResult, VerdictRecord } from "../src/domain/experiment.js";
import type { Measurement } from "../src/domain/measurement.js";
import type { AnalysedResults } from "../src/domain/ports.js";
import { isGuardrailBreached } from "../src/stats/evidence.js";
import {
  type AnalyzeInput,
  type AnalyzeOutput,
  analyze,
  type Comparison,
  checkSrm,
  type SrmResult,
  type VerdictArgs,
} from "../src/stats/index.js";

export const ALPHA = 0.05;

export interface Judgement {
  method: "fixed" | "sequential";
  srm: SrmResult;
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
  measurement: Measurement | AnalysedResults,
  method: "fixed" | "sequential",
): Judgement {
  const { srm, comparisonOf } = compareVariants(measurement, method);
  const item = experiment.item;
  const guardrails = item.guardrails.map((g) => ({
    name: g.name,
    maxRelativeDrop: g.maxRelativeDrop,
    higherIsBetter: g.higherIsBetter,
    comparison: comparisonOf(g.name),
  }));
  const primary = comparisonOf(item.primaryMetric.name);
  return {
    method,
    srm,
    args: {
      primary,
      primaryHigherIsBetter: item.primaryMetric.higherIsBetter,
      guardrails,
      srmMismatch: srm.mismatch,
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
    srm: judgement.srm,
    primary: judgement.primary,
    guardrails: judgement.guardrails,
    applied,
    decidedAt: decidedAt.toISOString(),
  };
}

/**
 * Sufficient statistics are analysed here by the stats engine; results a platform analysed
 * already are taken as they are, with our own sample-ratio check over its assignment counts.
 */
function compareVariants(
  measurement: Measurement | AnalysedResults,
  method: "fixed" | "sequential",
): { srm: SrmResult; comparisonOf: (name: string) => Comparison } {
  const missing = (name: string): never => {
    throw new PermanentError("metric-missing", `metric ${name} is missing from the measurement`);
  };
  if ("kind" in measurement) {
    const srm = checkSrm(
      measurement.variants.map((v) => v.users),
      measurement.variants.map((v) => v.weight),
    );
    return { srm, comparisonOf: (name) => measurement.comparisons[name] ?? missing(name) };
  }
  const input = { alpha: ALPHA, method, correction: "none", ...measurement } as AnalyzeInput;
  const analysis: AnalyzeOutput = analyze(input);
  return {
    srm: analysis.srm,
    comparisonOf: (name) =>
      analysis.metrics.find((m) => m.name === name)?.comparisons[0] ?? missing(name),
  };
}

function resultOf(name: string, c: Comparison): MetricResult {
  return {
    name,
    relativeLift: c.relativeLift,
    se: c.se,
    baselineMean: c.baselineMean,
    mean: c.mean,
    ci: c.ci,
    pValue: c.pValue,
    chanceToWin: c.chanceToWin,
    significant: c.significant,
  };
}
