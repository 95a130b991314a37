import {
  DEFAULT_DIAGNOSE_SETTINGS,
  type DiagnoseSettings,
} from "../../diagnose/diagnose-settings.js";
import { judgeStages } from "../../diagnose/judge-funnel.js";
import type { Headlines } from "../../diagnose/stage-readings.js";
import type { BacklogItem, Metric } from "../../domain/backlog-item.js";
import { DAYS_PER_WINDOW } from "../../domain/experiment.js";
import type { StageReading } from "../../domain/funnel-snapshot.js";
import { FUNNEL_STAGES, type FunnelStage } from "../../domain/funnel-stage.js";
import type { Measurement, SufficientStats } from "../../domain/measurement.js";
import { sandboxTruth } from "../../domain/ports.js";
import { binomial, normal, seededRandom } from "./seeded-random.js";
import { addStats, simulateDay } from "./simulated-users.js";

/**
 * A simulated product-led product, week by week: signups, a five-stage funnel, activation that
 * decays cohort after cohort, and the changes shipped so far. Pure: the same seed and the same
 * sequence of `ship` calls give the same numbers, and nothing reads a clock.
 *
 * Each stage has one metric, moved by what was shipped to it: a kept change with true relative
 * lift L on a surface that reaches a share r of the stage's users multiplies the stage metric by
 * (1 + L·r). Effects compound within a stage and multiply across the funnel, so the product of
 * the stage multipliers is the growth of the bottom line (paying users × net retention).
 */
export interface ProductSettings {
  /** Users who sign up per day; per-user outcomes are drawn for each of them. */
  signupsPerDay: number;
  /** Day-to-day variation of signups (coefficient of variation). */
  signupNoise: number;
  /** Activation of the first cohort, and where it drifts without fixes (35 % → 18 % over ~6 months). */
  activationStart: number;
  activationFloor: number;
  /** Weeks for the decay to close 1 − 1/e of the way to the floor. */
  activationDecayWeeks: number;
  /** Per-user rate of each stage's experiment metric before anything ships (activation: decays). */
  experimentRates: Record<Exclude<FunnelStage, "activation">, number>;
  /** Users a stage's experiment sees per signup (retention: accounts at renewal per signup). */
  trafficPerSignup: Record<FunnelStage, number>;
  /** Headline values the diagnosis reads, before anything ships. */
  headlines: { ttvMedianMinutes: number; pqlConversion: number; freeToPaid: number; nrr: number };
  diagnose: DiagnoseSettings;
}

export const DEFAULT_PRODUCT_SETTINGS: ProductSettings = {
  signupsPerDay: 4000,
  signupNoise: 0.1,
  activationStart: 0.35,
  activationFloor: 0.18,
  activationDecayWeeks: 8.7,
  experimentRates: { ttv: 0.42, pql: 0.12, monetization: 0.06, retention: 0.85 },
  trafficPerSignup: { ttv: 1, activation: 1, pql: 1, monetization: 1, retention: 0.35 },
  headlines: { ttvMedianMinutes: 16, pqlConversion: 0.2, freeToPaid: 0.03, nrr: 0.97 },
  diagnose: DEFAULT_DIAGNOSE_SETTINGS,
};

/** What the scorer needs from a week's funnel: each stage against its benchmark and the weights. */
export interface ProductDiagnosis {
  week: number;
  stages: Record<FunnelStage, StageReading>;
  stageWeights: Record<FunnelStage, number>;
  weakestStage: FunnelStage | null;
}

export class SimulatedProduct {
  private readonly multipliers: Record<FunnelStage, number> = {
    ttv: 1,
    activation: 1,
    pql: 1,
    monetization: 1,
    retention: 1,
  };

  constructor(
    private readonly seed: string,
    readonly settings: ProductSettings = DEFAULT_PRODUCT_SETTINGS,
  ) {}

  /** Activation of the cohort that signs up in `week` (0-based) before any fix: the drift. */
  baseActivation(week: number): number {
    const s = this.settings;
    const decay = Math.exp(-week / s.activationDecayWeeks);
    return s.activationFloor + (s.activationStart - s.activationFloor) * decay;
  }

  /** Per-user rate of the stage's experiment metric in `week`, with every kept change applied. */
  rate(stage: FunnelStage, week: number): number {
    const base =
      stage === "activation" ? this.baseActivation(week) : this.settings.experimentRates[stage];
    return clamp(base * this.multipliers[stage], 0.0001, 0.9999);
  }

  /** The compounded multiplier of each stage from kept changes (1 = nothing shipped). */
  stageMultipliers(): Record<FunnelStage, number> {
    return { ...this.multipliers };
  }

  /** Growth of the bottom line from kept changes: Π over stages of their multipliers, minus 1. */
  capturedLift(): number {
    return FUNNEL_STAGES.reduce((product, s) => product * this.multipliers[s], 1) - 1;
  }

  /** Keeps a change: its true effect, scaled by reach, compounds into its stage for good. */
  ship(item: BacklogItem): void {
    this.multipliers[item.stage] *= Math.max(0.01, 1 + trueFunnelEffect(item));
  }

  /** Signups of `week`: the daily rate with day-to-day noise, drawn from the world's seed. */
  weeklySignups(week: number): number {
    let total = 0;
    for (let day = 0; day < 7; day++) total += this.signupsOn(week, day);
    return total;
  }

  /** The funnel as `shiploop diagnose` would read it this week: readings, gaps, weights. */
  diagnose(week: number): ProductDiagnosis {
    const h = this.settings.headlines;
    const m = this.multipliers;
    const signups = this.weeklySignups(week);
    const activationRate = this.rate("activation", week);
    const headlines: Headlines = {
      // Time to value is lower-is-better: a lift of the share reaching value fast shortens it.
      ttvMedianMinutes: h.ttvMedianMinutes / m.ttv,
      activationRate,
      pqlConversion: clamp(h.pqlConversion * m.pql, 0, 1),
      freeToPaid: clamp(h.freeToPaid * m.monetization, 0, 1),
      nrr: h.nrr * m.retention,
      samples: {
        ttv: Math.round(signups * activationRate),
        activation: signups,
        pql: Math.round(signups * this.rate("pql", week)),
        monetization: signups,
        retention: Math.round(signups * this.settings.trafficPerSignup.retention),
      },
    };
    return { week, ...judgeStages(headlines, this.settings.diagnose) };
  }

  /**
   * The experiment of `item` measured in `week`: cumulative sufficient statistics after each of
   * the window's days (index 0 = after day 1), for the daily checks and the verdict. Users of
   * the item's stage that its surface reaches are split by `item.split`; treatment users get
   * the item's true lift on the primary metric, guardrails are untouched. The draws depend on
   * the world's seed, the item and the day, not on who runs the experiment, so strategies that
   * test the same item in the same state of the product see the same users.
   */
  measureWindow(item: BacklogItem, week: number): Measurement[] {
    const share = item.split / 100;
    const lift = sandboxTruth(item);
    const rate = this.rate(item.stage, week);
    const metrics: { metric: Metric; lift: number }[] = [
      { metric: item.primaryMetric, lift },
      ...item.guardrails.map((metric) => ({ metric, lift: 0 })),
    ];
    const users = { control: 0, treatment: 0 };
    const totals = metrics.map(() => ({
      control: { n: 0, sum: 0 } as SufficientStats,
      treatment: { n: 0, sum: 0 } as SufficientStats,
    }));
    const days: Measurement[] = [];
    for (let day = 0; day < DAYS_PER_WINDOW; day++) {
      const random = seededRandom(`${this.seed}/${item.id}/${day}`);
      const exposed = Math.round(
        this.signupsOn(week, day) * this.settings.trafficPerSignup[item.stage] * item.reach,
      );
      const treated = binomial(random, exposed, share);
      const control = exposed - treated;
      users.control += control;
      users.treatment += treated;
      metrics.forEach(({ metric, lift: metricLift }, i) => {
        const total = totals[i] as { control: SufficientStats; treatment: SufficientStats };
        total.control = addStats(total.control, drawDay(random, metric, item, rate, control, 0));
        total.treatment = addStats(
          total.treatment,
          drawDay(random, metric, item, rate, treated, metricLift),
        );
      });
      days.push({
        variants: [
          { name: "control", users: users.control, weight: 1 - share },
          { name: "treatment", users: users.treatment, weight: share },
        ],
        metrics: metrics.map(({ metric }, i) => ({
          name: metric.name,
          type: metric.type,
          higherIsBetter: metric.higherIsBetter,
          stats: { ...(totals[i] as Record<string, SufficientStats>) },
        })),
      });
    }
    return days;
  }

  private signupsOn(week: number, day: number): number {
    const random = seededRandom(`${this.seed}/signups/${week}/${day}`);
    const s = this.settings;
    return Math.max(0, Math.round(s.signupsPerDay * (1 + s.signupNoise * normal(random))));
  }
}

/**
 * The item's true effect in the good direction among the users it reaches: its
 * `sandbox.trueRelativeLift`, sign-flipped when the primary metric is lower-is-better.
 */
export function trueGain(item: BacklogItem): number {
  const truth = sandboxTruth(item);
  return item.primaryMetric.higherIsBetter ? truth : -truth;
}

/** What keeping `item` does to its stage's metric: the true gain among reached users × reach. */
export function trueFunnelEffect(item: BacklogItem): number {
  return trueGain(item) * item.reach;
}

/**
 * One day's users of one metric. Proportions are drawn per user (binomially) at the product's
 * current rate of the item's stage; means and ratios use the sandbox's per-user model.
 */
function drawDay(
  random: () => number,
  metric: Metric,
  item: BacklogItem,
  rate: number,
  users: number,
  lift: number,
): SufficientStats {
  if (metric.type !== "proportion") return simulateDay(random, metric, item.stage, users, lift);
  return { n: users, sum: binomial(random, users, clamp(rate * (1 + lift), 0, 1)) };
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
