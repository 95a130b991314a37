import type { Metric } from "../../domain/backlog-item.js";
import { PermanentError } from "../../domain/errors.js";
import type { ExperimentRecord } from "../../domain/experiment.js";
import type { Measurement, MetricMeasurement, SufficientStats } from "../../domain/measurement.js";
import type { MetricsSource } from "../../domain/ports.js";
import { flagVariants } from "./flag-variants.js";
import { exposuresQuery, metricQuery } from "./hogql-queries.js";
import type { RowSource } from "./posthog-funnel-source.js";
import type { Row } from "./query-client.js";

/**
 * Experiment metrics from PostHog: users exposed to the item's flag (`$feature_flag_called`)
 * in [measuringSince, until], split by the variant they saw, and per variant the sufficient
 * statistics of the primary metric and each guardrail, aggregated in PostHog (one query for
 * the exposures, one per metric). Proportion and mean metrics carry pre-period sums over a
 * window as long as the experiment's, just before it, so the stats engine can apply CUPED.
 */
export class PostHogMetricsSource implements MetricsSource {
  readonly mode = "live";

  constructor(private readonly client: RowSource) {}

  async measure(experiment: ExperimentRecord, until: Date): Promise<Measurement> {
    const since = experiment.measuringSince;
    if (!since) {
      throw new PermanentError(
        "not-measuring",
        `experiment ${experiment.id} has no measuringSince: nothing to measure yet`,
      );
    }
    const item = experiment.item;
    const fromMs = Date.parse(since);
    const untilMs = until.getTime();
    const dueMs = experiment.verdictDueAt ? Date.parse(experiment.verdictDueAt) : untilMs;
    const preFromMs = fromMs - Math.max(dueMs - fromMs, untilMs - fromMs, 0);
    const { flag, variants } = flagVariants(item);
    const window = { flag, fromMs, untilMs };
    const metrics = [item.primaryMetric, ...item.guardrails];
    const [exposed, ...perMetric] = await Promise.all([
      this.client.rows(exposuresQuery(window)),
      ...metrics.map((m) => this.client.rows(metricQuery(m, { ...window, preFromMs }))),
    ]);
    const byResponse = (rows: Row[]) => new Map(rows.map((r) => [String(r.variant), r]));
    const users = byResponse(exposed ?? []);
    return {
      variants: variants.map((v) => ({
        name: v.name,
        users: num(users.get(v.response)?.users),
        weight: v.weight,
      })),
      metrics: metrics.map((metric, i): MetricMeasurement => {
        const rows = byResponse(perMetric[i] ?? []);
        return {
          name: metric.name,
          type: metric.type,
          higherIsBetter: metric.higherIsBetter,
          stats: Object.fromEntries(
            variants.map((v) => [v.name, statsOf(metric, rows.get(v.response))]),
          ),
        };
      }),
    };
  }
}

function statsOf(metric: Metric, row: Row | undefined): SufficientStats {
  const base = { n: num(row?.n), sum: num(row?.sum), sumSquares: num(row?.sum_squares) };
  if (metric.type === "ratio") {
    return {
      ...base,
      denominatorSum: num(row?.denominator_sum),
      denominatorSumSquares: num(row?.denominator_sum_squares),
      sumProductDenominator: num(row?.sum_product_denominator),
    };
  }
  const pre = {
    preSum: num(row?.pre_sum),
    preSumSquares: num(row?.pre_sum_squares),
    sumProductPre: num(row?.sum_product_pre),
  };
  if (metric.type === "proportion") return { n: base.n, sum: base.sum, ...pre };
  return { ...base, ...pre };
}

/** A PostHog number (JSON number or numeric text); a missing row is zero users. */
function num(value: unknown): number {
  if (value === undefined || value === null) return 0;
  const n = typeof value === "string" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isFinite(n)) {
    throw new PermanentError(
      "posthog-response",
      `PostHog answered a statistic with ${JSON.stringify(value)}`,
    );
  }
  return n;
}
