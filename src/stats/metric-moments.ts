/**
 * Means, variances and covariances from sufficient statistics (n, Σx, Σx², Σxy).
 *
 * A binary column (a proportion: every x is 0 or 1) uses the population variance p(1 − p),
 * as gbstats' ProportionStatistic does; any other column uses the sample variance with n − 1.
 */

/** One measured quantity summed over n units. For a binary column Σx² = Σx. */
export interface Column {
  sum: number;
  sumSquares: number;
  binary: boolean;
}

/** What every test needs from one arm: units, mean and the variance of one unit's value. */
export interface Moments {
  n: number;
  mean: number;
  variance: number;
}

export function columnMean(n: number, column: Column): number {
  return n > 0 ? column.sum / n : 0;
}

export function columnVariance(n: number, column: Column): number {
  if (column.binary) {
    const p = columnMean(n, column);
    return p * (1 - p);
  }
  if (n <= 1) return 0;
  return (column.sumSquares - (column.sum * column.sum) / n) / (n - 1);
}

/** Covariance of two columns measured on the same n units, given Σxy. */
export function columnCovariance(n: number, a: Column, b: Column, sumProducts: number): number {
  if (n <= 1) return 0;
  if (a.binary && b.binary) return sumProducts / n - (a.sum * b.sum) / (n * n);
  return (sumProducts - (a.sum * b.sum) / n) / (n - 1);
}

/**
 * Delta-method variance of M / D for random variables M and D with the given means,
 * variances and covariance.
 */
export function varianceOfRatio(
  meanM: number,
  varM: number,
  meanD: number,
  varD: number,
  covMD: number,
): number {
  const d2 = meanD * meanD;
  return varM / d2 + (varD * meanM * meanM) / (d2 * d2) - (2 * covMD * meanM) / (d2 * meanD);
}

export function proportionMoments(stats: { n: number; sum: number }): Moments {
  const column = { sum: stats.sum, sumSquares: stats.sum, binary: true };
  return {
    n: stats.n,
    mean: columnMean(stats.n, column),
    variance: columnVariance(stats.n, column),
  };
}

export function sampleMeanMoments(stats: { n: number; sum: number; sumSquares: number }): Moments {
  const column = { sum: stats.sum, sumSquares: stats.sumSquares, binary: false };
  return {
    n: stats.n,
    mean: columnMean(stats.n, column),
    variance: columnVariance(stats.n, column),
  };
}

export interface RatioSums {
  n: number;
  sum: number;
  sumSquares: number;
  denominatorSum: number;
  denominatorSumSquares: number;
  sumProductDenominator: number;
}

/**
 * A ratio metric (Σnumerator / Σdenominator over n units, e.g. revenue per seat). The variance is
 * the per-unit delta-method variance, so that, as for the other types, Var(mean) = variance / n.
 */
export function ratioMoments(stats: RatioSums): Moments {
  const { n } = stats;
  const numerator = { sum: stats.sum, sumSquares: stats.sumSquares, binary: false };
  const denominator = {
    sum: stats.denominatorSum,
    sumSquares: stats.denominatorSumSquares,
    binary: false,
  };
  const mean = stats.denominatorSum === 0 ? 0 : stats.sum / stats.denominatorSum;
  const meanD = columnMean(n, denominator);
  if (meanD === 0 || n <= 1) return { n, mean, variance: 0 };
  const variance = varianceOfRatio(
    columnMean(n, numerator),
    columnVariance(n, numerator),
    meanD,
    columnVariance(n, denominator),
    columnCovariance(n, numerator, denominator, stats.sumProductDenominator),
  );
  return { n, mean, variance };
}
