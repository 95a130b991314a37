import { DAYS_PER_WINDOW, type ExperimentRecord } from "../../domain/experiment.js";
import type { Measurement, MetricMeasurement, SufficientStats } from "../../domain/measurement.js";
import { type MetricsSource, sandboxTruth } from "../../domain/ports.js";
import { binomial, seededRandom } from "./seeded-random.js";
import { addStats, simulateDay } from "./simulated-users.js";

/**
 * Simulated users for sandbox mode. The measurement window is cut into seven "days" however
 * long it really is, and each day's users are drawn from a seed of (experiment, day), so a
 * daily check and the verdict see the same cumulative numbers for the same days.
 * Treatment users get the item's `sandbox.trueRelativeLift` on the primary metric; guardrails
 * are untouched.
 */
export class SandboxMetrics implements MetricsSource {
  readonly mode = "sandbox";

  constructor(private readonly usersPerDay: number = 3000) {}

  async measure(experiment: ExperimentRecord, until: Date): Promise<Measurement> {
    const days = completedDays(experiment, until);
    const item = experiment.item;
    const treatmentShare = item.split / 100;
    const metrics = [
      { metric: item.primaryMetric, lift: sandboxTruth(item) },
      ...item.guardrails.map((metric) => ({ metric, lift: 0 })),
    ];
    const users = { control: 0, treatment: 0 };
    const totals: Record<string, { control: SufficientStats; treatment: SufficientStats }> = {};
    for (const { metric } of metrics) {
      totals[metric.name] = { control: { n: 0, sum: 0 }, treatment: { n: 0, sum: 0 } };
    }
    for (let day = 0; day < days; day++) {
      const random = seededRandom(`${experiment.id}/${day}`);
      const treated = binomial(random, this.usersPerDay, treatmentShare);
      users.control += this.usersPerDay - treated;
      users.treatment += treated;
      for (const { metric, lift } of metrics) {
        const total = totals[metric.name] as {
          control: SufficientStats;
          treatment: SufficientStats;
        };
        total.control = addStats(
          total.control,
          simulateDay(random, metric, item.stage, this.usersPerDay - treated, 0),
        );
        total.treatment = addStats(
          total.treatment,
          simulateDay(random, metric, item.stage, treated, lift),
        );
      }
    }
    const measured: MetricMeasurement[] = metrics.map(({ metric }) => ({
      name: metric.name,
      type: metric.type,
      higherIsBetter: metric.higherIsBetter,
      stats: { ...(totals[metric.name] as Record<string, SufficientStats>) },
    }));
    return {
      variants: [
        { name: "control", users: users.control, weight: 1 - treatmentShare },
        { name: "treatment", users: users.treatment, weight: treatmentShare },
      ],
      metrics: measured,
    };
  }
}

/** Whole simulated days between the start of measuring and `until`, at most seven. */
export function completedDays(experiment: ExperimentRecord, until: Date): number {
  if (!experiment.measuringSince || !experiment.verdictDueAt) return 0;
  const start = Date.parse(experiment.measuringSince);
  const window = Date.parse(experiment.verdictDueAt) - start;
  if (window <= 0) return DAYS_PER_WINDOW;
  // A small tolerance so a check that fires a few ms early still counts its day.
  const days = Math.floor(((until.getTime() - start) / window) * DAYS_PER_WINDOW + 0.01);
  return Math.max(0, Math.min(DAYS_PER_WINDOW, days));
}
