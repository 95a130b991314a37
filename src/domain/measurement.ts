import type { Metric } from "./backlog-item.js";

/** Per-variant sufficient statistics of one metric, as in DESIGN.md's statistics contract. */
export interface SufficientStats {
  n: number;
  sum: number;
  sumSquares?: number;
  preSum?: number;
  preSumSquares?: number;
  sumProductPre?: number;
  denominatorSum?: number;
  denominatorSumSquares?: number;
  sumProductDenominator?: number;
}

export interface VariantAssignment {
  name: string;
  users: number;
  /** The designed share of users, 0..1. */
  weight: number;
}

export interface MetricMeasurement {
  name: string;
  type: Metric["type"];
  higherIsBetter: boolean;
  stats: Record<string, SufficientStats>;
}

/** What a metrics source reports for a running experiment: the statistics contract's input minus settings. */
export interface Measurement {
  variants: VariantAssignment[];
  metrics: MetricMeasurement[];
}
