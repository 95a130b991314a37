import type { FunnelStage } from "./funnel-stage.js";

/**
 * What past verdicts of one group (a stage, a surface or a tag) showed. The counts and sums
 * describe the group; the delivery ratio and calibration come from its verdicts' measured
 * ratios and standard errors with a prior estimated from all verdicts (see `computePriors`).
 * "Estimated" lift means the author's expected lift: `relativeLift × confidence`.
 */
export interface GroupPrior {
  /** k: verdicts in the group. */
  verdicts: number;
  /** Verdicts decided "ship". */
  wins: number;
  /** Verdicts that recorded the effort it really took, with planned and actual engineer-days. */
  effortVerdicts: number;
  plannedEffort: number;
  actualEffort: number;
  /**
   * Observed per unit of estimated lift: the precision-weighted mean of the verdicts' ratios
   * o/x, weights 1/((se/x)² + τ²); `null` when no verdict had a non-zero estimate and a positive se.
   */
  deliveryRatio: number | null;
  /**
   * The delivery ratio shrunk towards 1 (trust the author): `1 + B·(ratio − 1)`,
   * B = σ²U/(σ²U + 1), σ² estimated from all verdicts (κ pseudo-verdicts of typical precision
   * while they are too few).
   */
  liftCalibration: number;
  winRate: number | null;
  /** Σ actual ÷ Σ planned effort; `null` when no verdict recorded actual effort. */
  effortRatio: number | null;
  /** The effort ratio shrunk towards 1: `1 + m/(m+κ)·(ratio − 1)`, m = effort verdicts. */
  effortCalibration: number;
}

/** Learned priors; recomputed from every verdict observation, never updated in place. */
export interface Priors {
  /**
   * κ: pseudo-verdicts of trust in the author, used for lift until there are enough verdicts
   * to estimate the prior, and always for effort.
   */
  kappa: number;
  overall: GroupPrior;
  stage: Partial<Record<FunnelStage, GroupPrior>>;
  surface: Record<string, GroupPrior>;
  tag: Record<string, GroupPrior>;
}
