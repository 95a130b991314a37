import type { Logger } from "pino";
import type { Metric } from "../../domain/backlog-item.js";
import { parseDuration } from "../../domain/duration.js";
import { PermanentError, TransientError, UserError } from "../../domain/errors.js";
import type { ExperimentRecord } from "../../domain/experiment.js";
import type { VariantAssignment } from "../../domain/measurement.js";
import type { AnalysedResults, MetricsSource } from "../../domain/ports.js";
import type { Comparison } from "../../stats/analyze-output.js";
import type { StatsigConsoleClient } from "./console-client.js";
import {
  type CumulativeExposures,
  CumulativeExposuresSchema,
  type Experiment,
  type PulseMetric,
  type PulseResults,
  PulseResultsSchema,
} from "./console-schemas.js";
import {
  experimentPath,
  findExperiment,
  gatePath,
  parseExperiment,
  readGate,
} from "./experiments-api.js";
import { OWN_RULE_NAME, ownRule } from "./gate-rules.js";
import { findPulseMetric, pulseComparison, pulseMetrics, pulseUnits } from "./pulse-comparison.js";

export interface StatsigResultsSourceOptions {
  client: StatsigConsoleClient;
  logger: Logger;
  /** The default measurement window (SHIPLOOP_WINDOW); an item's `window` wins. */
  windowMs: number;
  alpha?: number;
}

/**
 * Results Statsig's Pulse already analysed, mapped into the stats engine's comparison shape
 * (the item's primary metric and guardrails) so the same verdict rule decides. Assignment
 * counts come from the experiment's cumulative exposures (or Pulse's units) and feed
 * shiploop's own sample-ratio check. A daily peek reads Pulse's sequential intervals.
 */
export class StatsigResultsSource implements MetricsSource {
  readonly mode = "live";

  constructor(private readonly options: StatsigResultsSourceOptions) {}

  async measure(experiment: ExperimentRecord, until: Date): Promise<AnalysedResults> {
    const sequential = this.isPeek(experiment, until);
    const ship = experiment.item.ship;
    return ship.kind === "experiment"
      ? this.measureExperiment(experiment, ship.experiment, until, sequential)
      : this.measureGate(experiment, ship.gate, sequential);
  }

  private async measureExperiment(
    record: ExperimentRecord,
    name: string,
    until: Date,
    sequential: boolean,
  ): Promise<AnalysedResults> {
    const client = this.options.client;
    const subject = `experiment ${name}`;
    const experiment = await this.loadExperiment(record, name);
    const ship = record.item.ship as Extract<
      ExperimentRecord["item"]["ship"],
      { kind: "experiment" }
    >;
    const control = group(experiment, ship.groups[0]?.name ?? "control");
    const test = group(experiment, ship.groups[ship.groups.length - 1]?.name ?? "treatment");
    const pulse = await this.pulse(experimentPath(experiment.id, "pulse_results"), subject, {
      control: control.id,
      test: test.id,
    });
    const comparisons = this.compare(record, pulse, test.name, subject, sequential);
    const exposures = await client.request(
      "GET",
      experimentPath(experiment.id, "cumulative_exposures"),
      { subject, accept: [400, 404] },
    );
    const counted = CumulativeExposuresSchema.safeParse(exposures.data);
    const users = counted.success ? usersByGroup(counted.data, until) : new Map<string, number>();
    const units = this.primaryUnits(record, pulse);
    const usersOf = (g: { id: string; name: string }, fallback: number | undefined) =>
      users.get(g.id) ?? users.get(g.name) ?? fallback ?? 0;
    return {
      kind: "analysed",
      variants: [
        { name: control.name, users: usersOf(control, units?.control), weight: control.size / 100 },
        { name: test.name, users: usersOf(test, units?.test), weight: test.size / 100 },
      ],
      comparisons,
      method: sequential ? "sequential" : "fixed",
    };
  }

  private async measureGate(
    record: ExperimentRecord,
    gateName: string,
    sequential: boolean,
  ): Promise<AnalysedResults> {
    const subject = `gate ${gateName}`;
    const gate = await readGate(this.options.client, gateName);
    const rule = gate ? ownRule(gate) : undefined;
    if (!gate || !rule?.id) {
      throw new UserError(
        "statsig-rule-missing",
        `Statsig ${subject} has no rule named "${OWN_RULE_NAME}" to read results for; it was removed or renamed after the split started`,
      );
    }
    const pulse = await this.pulse(
      `${gatePath(gate.id, "rules")}/${encodeURIComponent(rule.id)}/pulse_results`,
      subject,
      {},
    );
    const comparisons = this.compare(record, pulse, "treatment", subject, sequential);
    const units = this.primaryUnits(record, pulse);
    const share = record.item.split / 100;
    const variants: VariantAssignment[] = [
      { name: "control", users: units?.control ?? 0, weight: 1 - share },
      { name: "treatment", users: units?.test ?? 0, weight: share },
    ];
    return { kind: "analysed", variants, comparisons, method: sequential ? "sequential" : "fixed" };
  }

  private async loadExperiment(record: ExperimentRecord, name: string): Promise<Experiment> {
    const recorded = record.writes["experiment-start"]?.result?.id;
    if (typeof recorded === "string") {
      const res = await this.options.client.request("GET", experimentPath(recorded), {
        subject: `experiment ${name}`,
      });
      return parseExperiment(res.data, name);
    }
    const found = await findExperiment(this.options.client, name);
    if (!found) {
      throw new UserError(
        "statsig-not-found",
        `Statsig has no experiment ${name} to read results for; check STATSIG_CONSOLE_API_KEY's project`,
      );
    }
    return found;
  }

  private async pulse(
    path: string,
    subject: string,
    query: Record<string, string>,
  ): Promise<PulseResults> {
    const res = await this.options.client.request("GET", path, {
      subject,
      query,
      accept: [400],
    });
    if (res.status === 400) {
      throw new TransientError(
        "statsig-pulse-not-ready",
        `Statsig has no Pulse results for ${subject} yet${res.message ? ` (${res.message})` : ""}`,
      );
    }
    const parsed = PulseResultsSchema.safeParse(res.data);
    if (!parsed.success) {
      throw new PermanentError(
        "statsig-bad-response",
        `Statsig answered Pulse results for ${subject} in a shape shiploop cannot read: ${parsed.error.issues[0]?.message ?? "invalid"}`,
      );
    }
    return parsed.data;
  }

  private compare(
    record: ExperimentRecord,
    pulse: PulseResults,
    variant: string,
    subject: string,
    sequential: boolean,
  ): Record<string, Comparison> {
    const metrics = pulseMetrics(pulse);
    if (metrics.length === 0) {
      throw new TransientError(
        "statsig-pulse-not-ready",
        `Statsig Pulse has no metric results for ${subject} yet`,
      );
    }
    const wanted: Metric[] = [record.item.primaryMetric, ...record.item.guardrails];
    const comparisons: Record<string, Comparison> = {};
    for (const metric of wanted) {
      const found = findPulseMetric(metrics, metric);
      const comparison = found
        ? pulseComparison(found, variant, { alpha: this.options.alpha ?? 0.05, sequential })
        : undefined;
      if (!comparison) {
        const available = metrics.map((m) => m.metricID ?? m.metric_id ?? m.metricName ?? "?");
        throw new UserError(
          "statsig-metric-missing",
          `Statsig Pulse for ${subject} has no usable result for metric ${metric.name} (event ${metric.event}); add it to the scorecard in Statsig or name the item's metric after one of: ${available.join(", ")}`,
        );
      }
      comparisons[metric.name] = comparison;
    }
    return comparisons;
  }

  private primaryUnits(record: ExperimentRecord, pulse: PulseResults) {
    const primary = findPulseMetric(pulseMetrics(pulse), record.item.primaryMetric);
    return primary ? pulseUnits(primary as PulseMetric) : undefined;
  }

  /** Before the window ends a look is a peek: read always-valid intervals. */
  private isPeek(experiment: ExperimentRecord, until: Date): boolean {
    if (!experiment.measuringSince) return false;
    const window =
      (experiment.item.window ? parseDuration(experiment.item.window) : undefined) ??
      this.options.windowMs;
    return until.getTime() < Date.parse(experiment.measuringSince) + window;
  }
}

function group(experiment: Experiment, name: string): { id: string; name: string; size: number } {
  const found =
    experiment.groups.find((g) => g.name === name) ??
    experiment.groups.find((g) => g.name.toLowerCase() === name.toLowerCase());
  if (!found?.id) {
    throw new UserError(
      "statsig-group-missing",
      `Statsig experiment ${experiment.id} has no group named ${name} (it has ${experiment.groups.map((g) => g.name).join(", ")}); the item's group names must match Statsig's`,
    );
  }
  return { id: found.id, name: found.name, size: found.size };
}

/** Each group's cumulative exposures on the last day up to `until`. */
function usersByGroup(exposures: CumulativeExposures, until: Date): Map<string, number> {
  const day = until.toISOString().slice(0, 10);
  const users = new Map<string, number>();
  for (const g of exposures) {
    const upTo = g.results
      .filter((r) => r.date <= day)
      .sort((a, b) => a.date.localeCompare(b.date));
    const last = upTo[upTo.length - 1];
    if (!last) continue;
    for (const key of [g.groupID, g.group_id, g.groupName, g.group_name]) {
      if (key) users.set(key, last.exposures);
    }
  }
  return users;
}
