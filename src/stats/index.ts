/** The statistics engine: pure functions over sufficient statistics. */
export { analyze } from "./analyze.js";
export {
  ANALYZE_DEFAULTS,
  type AnalyzeInput,
  AnalyzeInputSchema,
  type AnalyzeMetric,
  formatJsonPath,
  type MetricType,
  parseAnalyzeInput,
} from "./analyze-input-schema.js";
export type { AnalyzeOutput, Comparison, MetricResult } from "./analyze-output.js";
export { type BayesianResult, bayesianTest, type GaussianPrior } from "./bayesian.js";
export {
  type Decision,
  decideVerdict,
  type GuardrailInput,
  type Verdict,
  type VerdictArgs,
  type VerdictRule,
} from "./decide-verdict.js";
export {
  checkEarlyRollback,
  type EarlyRollbackCheck,
  type EarlyRollbackRule,
} from "./early-rollback.js";
export { type DifferenceType, type Effect, estimateEffect } from "./effect-estimate.js";
export {
  type Direction,
  directionOf,
  isGuardrailAtRisk,
  isGuardrailBreached,
} from "./evidence.js";
export { type FrequentistResult, fixedHorizonTest } from "./frequentist.js";
export {
  adjustPValues,
  benjaminiHochbergAdjust,
  type Correction,
  holmAdjust,
} from "./multiple-testing.js";
export { type PowerArgs, requiredSampleSize, type SampleSize } from "./power.js";
export { DEFAULT_SEQUENTIAL_TUNING, sequentialTest } from "./sequential.js";
export { checkSrm, SRM_THRESHOLD, type SrmResult } from "./srm.js";
