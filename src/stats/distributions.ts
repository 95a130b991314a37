/**
 * The distribution functions the engine needs, in one place.
 *
 * They come from stdlib (`@stdlib/stats-base-dists-*`): small, well-kept, individually
 * installable packages whose algorithms follow Boost/Cephes and are tested against reference
 * values, so we never hand-write a regularised incomplete beta or an inverse normal.
 * Everything else in `src/stats` calls these wrappers, never stdlib directly, so a swap of
 * library touches one file.
 */
import chisquareCdf from "@stdlib/stats-base-dists-chisquare-cdf";
import normalCdfStdlib from "@stdlib/stats-base-dists-normal-cdf";
import normalQuantileStdlib from "@stdlib/stats-base-dists-normal-quantile";
import tCdfStdlib from "@stdlib/stats-base-dists-t-cdf";
import tQuantileStdlib from "@stdlib/stats-base-dists-t-quantile";

const INV_SQRT_TWO_PI = 1 / Math.sqrt(2 * Math.PI);

/** P(Z ≤ z) for a standard normal Z. */
export function normalCdf(z: number): number {
  return normalCdfStdlib(z, 0, 1);
}

/** The z with P(Z ≤ z) = p for a standard normal Z. */
export function normalQuantile(p: number): number {
  return normalQuantileStdlib(p, 0, 1);
}

/** Density of the standard normal at z (elementary, so no library call). */
export function normalPdf(z: number): number {
  return INV_SQRT_TWO_PI * Math.exp(-0.5 * z * z);
}

/** P(T ≤ t) for Student's t with `dof` degrees of freedom. */
export function tCdf(t: number, dof: number): number {
  return tCdfStdlib(t, dof);
}

/** The t with P(T ≤ t) = p for Student's t with `dof` degrees of freedom. */
export function tQuantile(p: number, dof: number): number {
  return tQuantileStdlib(p, dof);
}

/** Two-sided p-value of a t statistic: computed from the lower tail so tiny p keep precision. */
export function tTwoSidedPValue(t: number, dof: number): number {
  return Math.min(1, 2 * tCdfStdlib(-Math.abs(t), dof));
}

/** P(X > x) for a χ² variable with `dof` degrees of freedom. */
export function chiSquareSurvival(x: number, dof: number): number {
  return 1 - chisquareCdf(x, dof);
}
