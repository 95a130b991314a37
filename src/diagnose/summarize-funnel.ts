import type {
  ActivationTrend,
  CohortMetrics,
  EventCounts,
  FunnelSnapshot,
} from "../domain/funnel-snapshot.js";
import { DAY_MS, isoWeekLabel, WEEK_MS } from "./cohort-week.js";
import type { DiagnoseSettings } from "./diagnose-settings.js";
import { judgeStages, poolHeadlines } from "./judge-funnel.js";
import { computeNrr, type MrrPoint } from "./nrr.js";
import { quantileSorted } from "./quantile.js";

/** One signed-up user, reduced to the moments the metrics need (epoch ms; `null` = never). */
export interface UserFacts {
  signup: number;
  /** Monday 00:00 UTC of the signup week. */
  cohortStart: number;
  /** First activation at or after signup. */
  activatedAt: number | null;
  /** First subscription start at or after signup. */
  paidAt: number | null;
  /** When the PQL rule was first met (signals at or after signup). */
  qualifiedAt: number | null;
}

/** A cohort with the per-user lists pooled headlines need. */
interface Cohort {
  metrics: CohortMetrics;
  ttvMinutes: number[];
}

/**
 * From per-user facts to the snapshot. Definitions, per weekly signup cohort:
 * - activated: activation within `activationDays` of signup; rate = activated / signups;
 * - time to value: minutes from signup to that activation, over activated users (median, p75);
 * - paid: a subscription start within `conversionDays` of signup; free-to-paid = paid / signups;
 * - PQL: the rule met within `conversionDays` of signup by a user who had not paid before it;
 *   converted: paid at or after qualifying, still within `conversionDays` of signup.
 * A cohort is complete for a horizon when the horizon has passed for its last possible
 * signup (Monday + 7 days + horizon ≤ asOf). Headlines pool the `recentCohorts` latest
 * complete cohorts; younger cohorts are shown but would understate every rate.
 */
export function summarizeFunnel(input: {
  users: readonly UserFacts[];
  accounts: Map<string, MrrPoint[]>;
  asOf: number | null;
  settings: DiagnoseSettings;
  events: EventCounts;
}): FunnelSnapshot {
  const { settings: s, asOf } = input;
  const cohorts = buildCohorts(input.users, asOf, s);
  const activationDone = cohorts.filter((c) => c.metrics.activationComplete);
  const conversionDone = cohorts.filter((c) => c.metrics.conversionComplete);
  const recentActivation = activationDone.slice(-s.recentCohorts);
  const recentConversion = conversionDone.slice(-s.recentCohorts);

  const ttv = recentActivation.flatMap((c) => c.ttvMinutes).sort((a, b) => a - b);
  const nrr = computeNrr(input.accounts, asOf, s.nrrDays);
  const headlines = poolHeadlines({
    recentActivation: recentActivation.map((c) => c.metrics),
    recentConversion: recentConversion.map((c) => c.metrics),
    ttv: { medianMinutes: quantileSorted(ttv, 0.5), sample: ttv.length },
    nrr,
  });

  return {
    asOf: asOf === null ? null : new Date(asOf).toISOString(),
    model: s.model,
    activationDays: s.activationDays,
    conversionDays: s.conversionDays,
    cohorts: cohorts.map((c) => c.metrics),
    headlineCohorts: {
      activation: recentActivation.map((c) => c.metrics.cohort),
      conversion: recentConversion.map((c) => c.metrics.cohort),
    },
    activationTrend: trendOf(activationDone),
    nrr,
    ...judgeStages(headlines, s),
    events: input.events,
  };
}

function buildCohorts(
  users: readonly UserFacts[],
  asOf: number | null,
  s: DiagnoseSettings,
): Cohort[] {
  const activationMs = s.activationDays * DAY_MS;
  const conversionMs = s.conversionDays * DAY_MS;
  const byStart = new Map<number, UserFacts[]>();
  for (const u of users) {
    const list = byStart.get(u.cohortStart);
    if (list) list.push(u);
    else byStart.set(u.cohortStart, [u]);
  }
  const starts = [...byStart.keys()].sort((a, b) => a - b);
  return starts.map((start) => {
    const members = byStart.get(start) as UserFacts[];
    const ttvMinutes: number[] = [];
    let paid = 0;
    let pqls = 0;
    let pqlsConverted = 0;
    for (const u of members) {
      if (u.activatedAt !== null && u.activatedAt - u.signup <= activationMs) {
        ttvMinutes.push((u.activatedAt - u.signup) / 60_000);
      }
      const paidInTime = u.paidAt !== null && u.paidAt - u.signup <= conversionMs;
      if (paidInTime) paid += 1;
      const q = u.qualifiedAt;
      // Someone who paid before qualifying was a customer, not a lead.
      if (q !== null && q - u.signup <= conversionMs && !(u.paidAt !== null && u.paidAt < q)) {
        pqls += 1;
        if (paidInTime) pqlsConverted += 1;
      }
    }
    ttvMinutes.sort((a, b) => a - b);
    const lastSignup = start + WEEK_MS;
    const signups = members.length;
    const metrics: CohortMetrics = {
      cohort: isoWeekLabel(start),
      startsAt: new Date(start).toISOString(),
      signups,
      activationComplete: asOf !== null && lastSignup + activationMs <= asOf,
      conversionComplete: asOf !== null && lastSignup + conversionMs <= asOf,
      activated: ttvMinutes.length,
      activationRate: ttvMinutes.length / signups,
      ttvMedianMinutes: quantileSorted(ttvMinutes, 0.5),
      ttvP75Minutes: quantileSorted(ttvMinutes, 0.75),
      pqls,
      pqlsConverted,
      pqlConversion: pqls > 0 ? pqlsConverted / pqls : null,
      paid,
      freeToPaid: paid / signups,
    };
    return { metrics, ttvMinutes };
  });
}

/**
 * The activation trend over complete cohorts: first and last rate, and the least-squares slope
 * per week (x = weeks since the first cohort, so a missing week does not bend the line).
 * Exported for sources that aggregate cohorts elsewhere (PostHog).
 */
export function trendOf(cohorts: readonly Pick<Cohort, "metrics">[]): ActivationTrend {
  const points = cohorts.map((c) => ({
    cohort: c.metrics.cohort,
    x: (Date.parse(c.metrics.startsAt) - Date.parse(cohorts[0]?.metrics.startsAt ?? "")) / WEEK_MS,
    y: c.metrics.activationRate ?? 0,
  }));
  const first = points[0];
  const last = points.at(-1);
  let slope: number | null = null;
  if (points.length >= 2) {
    const mx = points.reduce((a, p) => a + p.x, 0) / points.length;
    const my = points.reduce((a, p) => a + p.y, 0) / points.length;
    const sxy = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
    const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
    slope = sxx > 0 ? sxy / sxx : null;
  }
  return {
    cohorts: points.length,
    first: first ? { cohort: first.cohort, rate: first.y } : null,
    last: last ? { cohort: last.cohort, rate: last.y } : null,
    slopePerCohort: slope,
    relativeChange:
      first && last && points.length >= 2 && first.y > 0 ? last.y / first.y - 1 : null,
  };
}
