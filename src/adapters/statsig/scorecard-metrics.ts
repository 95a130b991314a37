import type { Metric } from "../../domain/backlog-item.js";

/**
 * A metric on a Statsig experiment's scorecard, as `POST /experiments` takes it in
 * `primaryMetrics` and `secondaryMetrics` (statsig-io/docs, console-api/capiopenapi.json:
 * `{ name, type }`, both required). The type is Statsig's metric type, e.g. `event_count`.
 */
export interface ScorecardMetric {
  name: string;
  type: "event_count" | "event_user" | "sum" | "ratio";
}

/**
 * The Statsig metric that computes what the item's metric means, so Pulse has a result for
 * it when the verdict reads it (by name or event, see findPulseMetric):
 * - proportion (did a user do `event`) → the User Count metric (`event_user`) of that name;
 * - mean without `property` (events per user) → the auto-generated `event_count` of the event;
 * - mean with `property` (the value per user) → the Aggregation (sum) metric of that name;
 * - ratio → the Ratio metric of that name.
 * Statsig generates only `event_count` by itself; the others are custom metrics in the project.
 */
export function scorecardMetric(metric: Metric): ScorecardMetric {
  switch (metric.type) {
    case "proportion":
      return { name: metric.name, type: "event_user" };
    case "mean":
      return metric.property
        ? { name: metric.name, type: "sum" }
        : { name: metric.event, type: "event_count" };
    case "ratio":
      return { name: metric.name, type: "ratio" };
  }
}

/** The item's primary metric, and its guardrails as secondary metrics (each once). */
export function scorecard(
  primary: Metric,
  guardrails: readonly Metric[],
): { primaryMetrics: ScorecardMetric[]; secondaryMetrics: ScorecardMetric[] } {
  const primaryMetric = scorecardMetric(primary);
  const seen = new Set([key(primaryMetric)]);
  const secondaryMetrics: ScorecardMetric[] = [];
  for (const guardrail of guardrails) {
    const metric = scorecardMetric(guardrail);
    if (seen.has(key(metric))) continue;
    seen.add(key(metric));
    secondaryMetrics.push(metric);
  }
  return { primaryMetrics: [primaryMetric], secondaryMetrics };
}

function key(metric: ScorecardMetric): string {
  return `${metric.name}::${metric.type}`;
}
