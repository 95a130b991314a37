/**
 * Seeded random numbers for the trust simulations. Test-only: `src/stats` takes no randomness.
 */

/** mulberry32: a tiny, fast 32-bit PRNG; plenty for Monte Carlo of this size. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws (Box–Muller) from a uniform source. */
export function normalSource(uniform: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const z = spare;
      spare = null;
      return z;
    }
    const u = 1 - uniform(); // (0, 1], so log(u) is finite
    const r = Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * uniform();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };
}

/** Exact Binomial(n, p) by summing Bernoulli draws: for the small daily batches of A/A tests. */
export function binomialExact(uniform: () => number, n: number, p: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (uniform() < p) k++;
  return k;
}

/**
 * Binomial(n, p) by its normal approximation, rounded and clamped: accurate when n·p and
 * n·(1 − p) are in the hundreds or more, and O(1) where exact draws would cost n each.
 */
export function binomialApprox(normal: () => number, n: number, p: number): number {
  const k = Math.round(n * p + Math.sqrt(n * p * (1 - p)) * normal());
  return Math.min(n, Math.max(0, k));
}

/**
 * Sufficient statistics of n draws from N(mean, sd²) without drawing them: the sum is normal,
 * and the sample variance is σ²·χ²(n−1)/(n−1), here by its normal approximation (n is large).
 */
export function normalSampleStats(
  normal: () => number,
  n: number,
  mean: number,
  sd: number,
): { n: number; sum: number; sumSquares: number } {
  const sum = n * mean + Math.sqrt(n) * sd * normal();
  const sampleVariance = sd * sd * Math.max(0, 1 + Math.sqrt(2 / (n - 1)) * normal());
  return { n, sum, sumSquares: (n - 1) * sampleVariance + (sum * sum) / n };
}

/** One-sided binomial tolerance: `rate` plus `z` standard errors of a rate over `trials`. */
export function upperTolerance(rate: number, trials: number, z = 3): number {
  return rate + z * Math.sqrt((rate * (1 - rate)) / trials);
}
