import chisquareCdf from "@stdlib/stats-base-dists-chisquare-cdf";
import { describe, expect, it } from "vitest";
import {
  binomial,
  logFactorial,
  seededRandom,
} from "../../../src/adapters/sandbox/seeded-random.js";

/** P(X = k) for X ~ Binomial(n, p), from log factorials summed term by term (no shortcut). */
function exactPmf(n: number, p: number, k: number): number {
  let logChoose = 0;
  for (let i = 1; i <= k; i++) logChoose += Math.log(n - k + i) - Math.log(i);
  return Math.exp(logChoose + k * Math.log(p) + (n - k) * Math.log1p(-p));
}

/**
 * Pearson's χ² of `draws` against the exact distribution, over cells with an expected count
 * of at least 5 (the two tails pooled into their own cells); returns the p-value.
 */
function goodnessOfFit(n: number, p: number, draws: number[]): number {
  const counts = new Map<number, number>();
  for (const k of draws) counts.set(k, (counts.get(k) ?? 0) + 1);
  const mean = n * p;
  const sd = Math.sqrt(n * p * (1 - p));
  const lo = Math.max(0, Math.floor(mean - 6 * sd));
  const hi = Math.min(n, Math.ceil(mean + 6 * sd));
  const cells: { expected: number; observed: number }[] = [];
  let tail = { expected: 0, observed: 0 };
  for (let k = lo; k <= hi; k++) {
    tail.expected += exactPmf(n, p, k) * draws.length;
    tail.observed += counts.get(k) ?? 0;
    if (tail.expected >= 5) {
      cells.push(tail);
      tail = { expected: 0, observed: 0 };
    }
  }
  const outside = draws.filter((k) => k < lo || k > hi).length;
  const last = cells.at(-1);
  if (last) {
    last.expected += tail.expected;
    last.observed += tail.observed + outside;
  }
  const chi2 = cells.reduce((sum, c) => sum + (c.observed - c.expected) ** 2 / c.expected, 0);
  return 1 - chisquareCdf(chi2, cells.length - 1);
}

describe("binomial draws of the simulated users", () => {
  it("log factorials agree with summed logs, below and above the table", () => {
    for (const k of [0, 1, 10, 255, 256, 1_000, 123_456]) {
      let sum = 0;
      for (let i = 2; i <= k; i++) sum += Math.log(i);
      expect(Math.abs(logFactorial(k) - sum)).toBeLessThan(1e-9 * Math.max(1, sum));
    }
  });

  it.each([
    [40, 0.1], // inversion, small n
    [2_000, 0.003], // inversion, large n and a rare event
    [500, 0.3], // BTRS
    [28_000, 0.18], // BTRS at a week of sign-ups
    [10_000, 0.9], // p > 1/2 through symmetry
  ])("n = %i, p = %f follows the exact distribution (χ² p > 0.001)", (n, p) => {
    const random = seededRandom(`binomial-${n}-${p}`);
    const draws = Array.from({ length: 20_000 }, () => binomial(random, n, p));
    expect(draws.every((k) => Number.isInteger(k) && k >= 0 && k <= n)).toBe(true);
    const mean = draws.reduce((sum, k) => sum + k, 0) / draws.length;
    const se = Math.sqrt((n * p * (1 - p)) / draws.length);
    expect(Math.abs(mean - n * p)).toBeLessThan(4 * se);
    expect(goodnessOfFit(n, p, draws)).toBeGreaterThan(0.001);
  });

  it("is not a normal approximation: a rare event keeps its skew", () => {
    // Binomial(200, 0.01): P(X = 0) = 0.134; a rounded normal gives about 0.19.
    const random = seededRandom("skew");
    const draws = Array.from({ length: 20_000 }, () => binomial(random, 200, 0.01));
    const zeros = draws.filter((k) => k === 0).length / draws.length;
    expect(Math.abs(zeros - exactPmf(200, 0.01, 0))).toBeLessThan(0.01);
  });
});
