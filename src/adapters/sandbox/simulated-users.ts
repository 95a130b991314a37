import type { Metric } from "../../domain/backlog-item.js";
import type { FunnelStage } from "../../domain/funnel-stage.js";
import type { SufficientStats } from "../../domain/measurement.js";
import { binomial, normal, type Random } from "./seeded-random.js";

/** Base rates of a typical self-serve product, by stage: what a proportion metric starts at. */
export const BASE_RATES: Record<FunnelStage, number> = {
  ttv: 0.42,
  activation: 0.3,
  pql: 0.08,
  monetization: 0.04,
  retention: 0.85,
};

/** Mean and ratio metrics: per-user value with this mean and coefficient of variation. */
const BASE_MEAN = 40;
const COEFFICIENT_OF_VARIATION = 1.5;

/**
 * Draws one day's sufficient statistics for `users` simulated users whose metric is moved by
 * `lift` (relative). Proportions are binomial; means are drawn from the sampling distribution
 * of a sum and a sum of squares, which is what the stats engine consumes anyway.
 */
export function simulateDay(
  random: Random,
  metric: Metric,
  stage: FunnelStage,
  users: number,
  lift: number,
): SufficientStats {
  if (metric.type === "proportion") {
    const rate = clamp(BASE_RATES[stage] * (1 + lift), 0, 1);
    return { n: users, sum: binomial(random, users, rate) };
  }
  const mean = BASE_MEAN * (1 + lift);
  const sd = BASE_MEAN * COEFFICIENT_OF_VARIATION;
  const sum = users * mean + Math.sqrt(users) * sd * normal(random);
  const sampleVariance = sd * sd * (1 + Math.sqrt(2 / Math.max(users - 1, 1)) * normal(random));
  const sumSquares =
    Math.max(users - 1, 0) * Math.max(sampleVariance, 0) + (users > 0 ? (sum * sum) / users : 0);
  if (metric.type === "mean") return { n: users, sum, sumSquares };
  // Ratio: value per seat with about two seats per user, correlated with the value.
  const denominatorSum = users * 2;
  return {
    n: users,
    sum,
    sumSquares,
    denominatorSum,
    denominatorSumSquares: users * 5,
    sumProductDenominator: 2 * sum * (1 + 0.1 * normal(random)),
  };
}

export function addStats(a: SufficientStats, b: SufficientStats): SufficientStats {
  const out: SufficientStats = { n: a.n + b.n, sum: a.sum + b.sum };
  for (const key of [
    "sumSquares",
    "denominatorSum",
    "denominatorSumSquares",
    "sumProductDenominator",
  ] as const) {
    if (a[key] !== undefined || b[key] !== undefined) out[key] = (a[key] ?? 0) + (b[key] ?? 0);
  }
  return out;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
