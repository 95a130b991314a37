import type { FunnelStage } from "./funnel-stage.js";

/**
 * What past verdicts of one group (a stage, a surface or a tag) showed. The sums are the
 * sufficient statistics of the fold; the rest is derived from them (see `computePriors`).
 * "Estimated" lift means the author's expected lift: `relativeLift × confidence`.
 */
export interface GroupPrior {
  /** k: verdicts in the group. */
  verdicts: number;
  /** Σ estimated². */
  sumEstimatedSquared: number;
  /** Σ estimated × observed. */
  sumEstimatedObserved: number;
  /** Verdicts decided "ship". */
  wins: number;
  /** Verdicts that recorded the effort it really took, with planned and actual engineer-days. */
  effortVerdicts: number;
  plannedEffort: number;
  actualEffort: number;
  /** Observed per unit of estimated lift (least squares through the origin); `null` when no estimate was non-zero. */
  deliveryRatio: number | null;
  /** The delivery ratio shrunk towards 1 (trust the author): `1 + k/(k+κ)·(ratio − 1)`. */
  liftCalibration: number;
  winRate: number | null;
  /** Σ actual ÷ Σ planned effort; `null` when no verdict recorded actual effort. */
  effortRatio: number | null;
  /** The effort ratio shrunk towards 1: `1 + m/(m+κ)·(ratio − 1)`, m = effort verdicts. */
  effortCalibration: number;
}

/** Learned priors; recomputed from every verdict observation, never updated in place. */
export interface Priors {
  /** κ: pseudo-verdicts of trust in the author; after κ verdicts data and author weigh the same. */
  kappa: number;
  overall: GroupPrior;
  stage: Partial<Record<FunnelStage, GroupPrior>>;
  surface: Record<string, GroupPrior>;
  tag: Record<string, GroupPrior>;
}
