/**
 * The difference between two arms and its sampling variance, before any test is applied.
 * Every method (fixed, sequential, Bayesian) starts from this, as in gbstats.
 */
import type { AdjustedArm } from "./cuped.js";
import { varianceOfRatio } from "./metric-moments.js";

export type DifferenceType = "relative" | "absolute";

export interface Effect {
  /** Relative lift (m_t − m_c) / |m_c|, or the absolute difference m_t − m_c. */
  estimate: number;
  /** Sampling variance of `estimate`. */
  variance: number;
  /** Welch–Satterthwaite degrees of freedom. */
  dof: number;
}

/**
 * Estimates the effect of `treatment` against `control`. Returns null when there is nothing to
 * estimate: an empty arm, a variance of 0 (or below, from inconsistent sums), or a control mean
 * of 0 for a relative lift, which would divide by zero.
 *
 * The relative lift divides by the control's unadjusted mean even under CUPED, so the lift is
 * always "per cent of what control users really did"; its delta-method variance is
 * v_t/(n_t m_c²) + v_c m_t²/(n_c m_c⁴) with the (possibly adjusted) variances.
 */
export function estimateEffect(
  control: AdjustedArm,
  treatment: AdjustedArm,
  type: DifferenceType,
): Effect | null {
  const { n: nc, variance: vc } = control;
  const { n: nt, variance: vt } = treatment;
  if (nc < 2 || nt < 2 || !(vc > 0) || !(vt > 0)) return null;
  const dof = welchDof(vc, nc, vt, nt);
  const difference = treatment.mean - control.mean;
  if (type === "absolute") return { estimate: difference, variance: vt / nt + vc / nc, dof };

  const baseline = control.unadjustedMean;
  if (baseline === 0 || control.mean === 0) return null;
  return {
    estimate: difference / Math.abs(baseline),
    variance: varianceOfRatio(treatment.unadjustedMean, vt / nt, baseline, vc / nc, 0),
    dof,
  };
}

/** Welch–Satterthwaite approximation of the degrees of freedom of a two-sample t statistic. */
export function welchDof(vc: number, nc: number, vt: number, nt: number): number {
  const sc = vc / nc;
  const st = vt / nt;
  return (sc + st) ** 2 / ((sc * sc) / (nc - 1) + (st * st) / (nt - 1));
}
