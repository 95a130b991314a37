import type { FunnelStage } from "./funnel-stage.js";

/** One weekly signup cohort (ISO week of the signup, UTC) and its funnel numbers. */
export interface CohortMetrics {
  /** ISO week of the signups, e.g. `2026-W05`. */
  cohort: string;
  /** Monday 00:00 UTC that starts the cohort's week, ISO time. */
  startsAt: string;
  signups: number;
  /** Whether `activationDays` have passed since the cohort's last possible signup. */
  activationComplete: boolean;
  /** Whether `conversionDays` have passed since the cohort's last possible signup. */
  conversionComplete: boolean;
  /** Users who fired the activation event within `activationDays` of signing up. */
  activated: number;
  activationRate: number | null;
  /** Minutes from signup to first activation, over the users counted in `activated`. */
  ttvMedianMinutes: number | null;
  ttvP75Minutes: number | null;
  /** Users who met the PQL rule within `conversionDays` of signup, before paying. */
  pqls: number;
  /** PQLs who started a subscription after qualifying and within `conversionDays` of signup. */
  pqlsConverted: number;
  pqlConversion: number | null;
  /** Users who started a subscription within `conversionDays` of signup. */
  paid: number;
  freeToPaid: number | null;
}

/** Where one funnel stage stands against its benchmark. */
export interface StageReading {
  stage: FunnelStage;
  label: string;
  /** The headline value, `null` when there was nothing to measure. */
  value: number | null;
  unit: "minutes" | "ratio";
  higherIsBetter: boolean;
  /** The line the value is judged against (for a range benchmark: its low end). */
  benchmark: number;
  /** For display: the benchmark as people quote it, e.g. `2–5 %` or `≤ 10 min`. */
  benchmarkText: string;
  /** Relative shortfall against the benchmark, 0 (meets it) … 1; `null` when unmeasured. */
  gap: number | null;
  /** Users (or accounts, for NRR) behind the value. */
  sample: number;
  /** One phrase a growth lead can read, e.g. `activation rate is 12 pts under benchmark (28 % vs 40 %)`. */
  summary: string;
}

export interface ActivationTrend {
  /** Complete cohorts the trend is fitted on, oldest first. */
  cohorts: number;
  first: { cohort: string; rate: number } | null;
  last: { cohort: string; rate: number } | null;
  /** Least-squares slope of the rate per cohort (0.01 = one point per week). */
  slopePerCohort: number | null;
  /** `last / first − 1`: −0.49 when 35 % decayed to 18 %. */
  relativeChange: number | null;
}

export interface NrrReading {
  /** MRR of the base accounts at the end over their MRR at the start; `null` without a base. */
  value: number | null;
  /** `value` compounded to a year, so that it compares with annual benchmarks. */
  annualized: number | null;
  periodDays: number;
  startsAt: string | null;
  endsAt: string | null;
  /** Accounts with MRR > 0 at the start of the period. */
  accounts: number;
  startMrr: number;
  endMrr: number;
  expansion: number;
  contraction: number;
  churned: number;
}

export interface EventCounts {
  /** Events (or lines) seen, good and bad. */
  read: number;
  /** Well-formed events with a known name that fed a metric. */
  used: number;
  /** Well-formed events whose name no metric uses. */
  ignored: number;
  bad: number;
  /** Bad events per reason, e.g. `{ "bad-timestamp": 3, "missing-distinct-id": 1 }`. */
  badByReason: Record<string, number>;
  /** Users with events but no signup event: they belong to no cohort. */
  usersWithoutSignup: number;
}

/** The funnel diagnosis: per-cohort metrics, each stage against its benchmark, and the weights scoring uses. */
export interface FunnelSnapshot {
  /** The latest good event's time: the diagnosis is "as of" the data, never the clock. */
  asOf: string | null;
  model: "freemium" | "trial";
  activationDays: number;
  conversionDays: number;
  cohorts: CohortMetrics[];
  /** Cohorts pooled into the headline values (the most recent complete ones). */
  headlineCohorts: { activation: string[]; conversion: string[] };
  activationTrend: ActivationTrend;
  nrr: NrrReading;
  stages: Record<FunnelStage, StageReading>;
  /** The stage with the largest gap; `null` when every stage meets its benchmark or none was measured. */
  weakestStage: FunnelStage | null;
  /** Mean 1 across stages; see `stageWeightsFromGaps`. */
  stageWeights: Record<FunnelStage, number>;
  events: EventCounts;
}
