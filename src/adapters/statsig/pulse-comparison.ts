import type { Comparison } from "../../stats/analyze-output.js";
import type { PulseMetric, PulseResults } from "./console-schemas.js";

/** z of a two-sided 95 % interval: Statsig's default confidence. */
const Z95 = 1.959963984540054;

type Interval = NonNullable<PulseMetric["percentConfidenceInterval"]>;

function bounds(interval: Interval | null | undefined): [number, number] | undefined {
  if (!interval) return undefined;
  const [lower, upper] = Array.isArray(interval) ? interval : [interval.lower, interval.upper];
  return Number.isFinite(lower) && Number.isFinite(upper) && lower <= upper
    ? [lower, upper]
    : undefined;
}

function pick(...values: (number | null | undefined)[]): number | undefined {
  return values.find((v): v is number => typeof v === "number" && Number.isFinite(v));
}

/** Every metric of a Pulse answer, whichever list and field style it came in. */
export function pulseMetrics(results: PulseResults): PulseMetric[] {
  return [
    ...(results.primaryMetrics ?? results.primary_metrics ?? []),
    ...(results.secondaryMetrics ?? results.secondary_metrics ?? []),
    ...(results.monitoringMetrics ?? results.monitoring_metrics ?? []),
  ];
}

/** The Pulse metric for one of the item's metrics: by Statsig name, id, or the id's name part. */
export function findPulseMetric(
  metrics: PulseMetric[],
  wanted: { name: string; event: string },
): PulseMetric | undefined {
  const names = [wanted.name, wanted.event].map((n) => n.toLowerCase());
  return metrics.find((m) => {
    const id = m.metricID ?? m.metric_id ?? "";
    const keys = [m.metricName ?? m.metric_name ?? "", id, id.split("::")[0] ?? ""];
    return keys.some((k) => k !== "" && names.includes(k.toLowerCase()));
  });
}

export interface PulseUnits {
  control: number;
  test: number;
}

export function pulseUnits(metric: PulseMetric): PulseUnits | undefined {
  const control = pick(metric.controlUnits, metric.control_units);
  const test = pick(metric.testUnits, metric.test_units);
  return control === undefined || test === undefined ? undefined : { control, test };
}

/**
 * One Pulse metric in the stats engine's comparison shape. Pulse reports percentages:
 * relativeLift = percentChange / 100, the interval from percentConfidenceInterval (or the
 * change ± its delta); se is derived from the interval (a 95 % one). `sequential` takes the
 * always-valid interval when Pulse has one, so a daily peek reads a peek-safe interval.
 */
export function pulseComparison(
  metric: PulseMetric,
  variant: string,
  options: { alpha: number; sequential: boolean },
): Comparison | undefined {
  const percentChange = pick(metric.percentChange, metric.percent_change);
  if (percentChange === undefined) return undefined;
  const fixed =
    bounds(metric.percentConfidenceInterval ?? metric.percent_confidence_interval) ??
    around(
      percentChange,
      pick(metric.percentConfidenceIntervalDelta, metric.percent_confidence_interval_delta),
    );
  const sequential = options.sequential
    ? (bounds(
        metric.percentSequentialTestingConfidenceInterval ??
          metric.percent_sequential_testing_confidence_interval,
      ) ??
      around(
        percentChange,
        pick(
          metric.percentSequentialTestingConfidenceIntervalDelta,
          metric.percent_sequential_testing_confidence_interval_delta,
        ),
      ))
    : undefined;
  const percentCi = sequential ?? fixed;
  if (!percentCi) return undefined;
  const ci: [number, number] = [percentCi[0] / 100, percentCi[1] / 100];
  const se = (ci[1] - ci[0]) / (2 * Z95);
  const pValue = pick(metric.pValue, metric.p_value) ?? null;
  const mean = pick(metric.testMean, metric.test_mean) ?? 0;
  const baselineMean = pick(metric.controlMean, metric.control_mean) ?? 0;
  const excludesZero = ci[0] > 0 || ci[1] < 0;
  return {
    variant,
    mean,
    baselineMean,
    absoluteLift:
      pick(metric.absoluteChange, metric.absolute_change, metric.value) ?? mean - baselineMean,
    relativeLift: percentChange / 100,
    se,
    ci,
    pValue,
    pValueAdjusted: null,
    chanceToWin: null,
    risk: null,
    cuped: false,
    significant:
      sequential !== undefined || pValue === null ? excludesZero : pValue < options.alpha,
  };
}

function around(center: number, delta: number | undefined): [number, number] | undefined {
  return delta !== undefined && delta > 0 ? [center - delta, center + delta] : undefined;
}
