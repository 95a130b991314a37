import type { EventNames } from "../../config/event-names.js";
import { DAY_MS, isoWeekLabel, WEEK_MS } from "../../diagnose/cohort-week.js";
import type { DiagnoseSettings } from "../../diagnose/diagnose-settings.js";
import { judgeStages, poolHeadlines } from "../../diagnose/judge-funnel.js";
import { emptyNrr, type NrrPeriod, nrrPeriod } from "../../diagnose/nrr.js";
import { trendOf } from "../../diagnose/summarize-funnel.js";
import { PermanentError } from "../../domain/errors.js";
import type {
  CohortMetrics,
  EventCounts,
  FunnelSnapshot,
  NrrReading,
} from "../../domain/funnel-snapshot.js";
import {
  activationByCohortQuery,
  freeToPaidByCohortQuery,
  funnelOverviewQuery,
  type HogQLQuery,
  nrrQuery,
  pqlByCohortQuery,
  ttvHeadlineQuery,
  usersWithoutSignupQuery,
} from "./hogql-queries.js";
import type { Row } from "./query-client.js";

/** What the funnel source needs from the query client. */
export interface RowSource {
  rows(query: HogQLQuery): Promise<Row[]>;
}

/**
 * The kickoff's funnel diagnosis computed in PostHog: one aggregated HogQL query per metric
 * (activation + time to value, free-to-paid, PQL conversion, NRR) plus an overview, so no
 * event leaves PostHog; cohorts come back as rows and are judged by the same pure code as the
 * events-file path (readStages, weakestStage, stageWeightsFromGaps, trendOf), so both sources
 * produce the same FunnelSnapshot from the same events.
 */
export function posthogFunnelSource(
  client: RowSource,
  settings: DiagnoseSettings,
  names: EventNames,
): () => Promise<FunnelSnapshot> {
  return () => diagnoseInPostHog(client, settings, names);
}

export async function diagnoseInPostHog(
  client: RowSource,
  s: DiagnoseSettings,
  names: EventNames,
): Promise<FunnelSnapshot> {
  const one = async (q: HogQLQuery) => (await client.rows(q))[0] ?? {};
  const [overview, without, activationRows, paidRows, pqlRows] = await Promise.all([
    one(funnelOverviewQuery(names, s)),
    one(usersWithoutSignupQuery(names, s)),
    client.rows(activationByCohortQuery(names, s)),
    client.rows(freeToPaidByCohortQuery(names, s)),
    client.rows(pqlByCohortQuery(names, s)),
  ]);
  const read = count(overview.read);
  const asOf =
    read > 0 && count(overview.used) + count(overview.ignored) > 0
      ? count(overview.as_of_ms)
      : null;
  const cohorts = mergeCohorts(activationRows, paidRows, pqlRows, asOf, s);

  const activationDone = cohorts.filter((c) => c.activationComplete);
  const conversionDone = cohorts.filter((c) => c.conversionComplete);
  const recentActivation = activationDone.slice(-s.recentCohorts);
  const recentConversion = conversionDone.slice(-s.recentCohorts);

  const period = nrrPeriod(
    count(overview.revenue_points) > 0 ? count(overview.first_revenue_ms) : null,
    asOf,
    s.nrrDays,
  );
  const first = recentActivation[0];
  const last = recentActivation.at(-1);
  const [ttv, nrrRow] = await Promise.all([
    first && last
      ? one(
          ttvHeadlineQuery(names, s, {
            fromMs: Date.parse(first.startsAt),
            toMs: Date.parse(last.startsAt),
          }),
        )
      : Promise.resolve(undefined),
    period.kind === "measured"
      ? one(nrrQuery(names, { startMs: period.startMs, endMs: period.endMs }))
      : Promise.resolve(undefined),
  ]);
  const nrr = nrrReading(period, nrrRow);

  const ttvSample = ttv ? count(ttv.users) : 0;
  const headlines = poolHeadlines({
    recentActivation,
    recentConversion,
    ttv: {
      medianMinutes: ttvSample > 0 && ttv ? nullableNumber(ttv.ttv_median_minutes) : null,
      sample: ttvSample,
    },
    nrr,
  });
  const badMrr = count(overview.bad_mrr);
  const events: EventCounts = {
    read,
    used: count(overview.used),
    ignored: count(overview.ignored),
    bad: badMrr,
    badByReason: badMrr > 0 ? { "bad-mrr": badMrr } : {},
    usersWithoutSignup: count(without.users_without_signup),
  };
  return {
    asOf: asOf === null ? null : new Date(asOf).toISOString(),
    model: s.model,
    activationDays: s.activationDays,
    conversionDays: s.conversionDays,
    cohorts,
    headlineCohorts: {
      activation: recentActivation.map((m) => m.cohort),
      conversion: recentConversion.map((m) => m.cohort),
    },
    activationTrend: trendOf(activationDone.map((metrics) => ({ metrics }))),
    nrr,
    ...judgeStages(headlines, s),
    events,
  };
}

/** Joins the per-metric cohort rows on the cohort's Monday; definitions as in summarize-funnel.ts. */
function mergeCohorts(
  activationRows: Row[],
  paidRows: Row[],
  pqlRows: Row[],
  asOf: number | null,
  s: DiagnoseSettings,
): CohortMetrics[] {
  const byStart = (rows: Row[]) => new Map(rows.map((r) => [count(r.cohort_start_ms), r]));
  const paid = byStart(paidRows);
  const pql = byStart(pqlRows);
  return activationRows
    .map((row) => {
      const start = count(row.cohort_start_ms);
      const signups = count(row.signups);
      const activated = count(row.activated);
      const paidCount = count(paid.get(start)?.paid);
      const pqls = count(pql.get(start)?.pqls);
      const pqlsConverted = count(pql.get(start)?.pqls_converted);
      const lastSignup = start + WEEK_MS;
      const metrics: CohortMetrics = {
        cohort: isoWeekLabel(start),
        startsAt: new Date(start).toISOString(),
        signups,
        activationComplete: asOf !== null && lastSignup + s.activationDays * DAY_MS <= asOf,
        conversionComplete: asOf !== null && lastSignup + s.conversionDays * DAY_MS <= asOf,
        activated,
        activationRate: activated / signups,
        ttvMedianMinutes: activated > 0 ? nullableNumber(row.ttv_median_minutes) : null,
        ttvP75Minutes: activated > 0 ? nullableNumber(row.ttv_p75_minutes) : null,
        pqls,
        pqlsConverted,
        pqlConversion: pqls > 0 ? pqlsConverted / pqls : null,
        paid: paidCount,
        freeToPaid: paidCount / signups,
      };
      return metrics;
    })
    .filter((m) => m.signups > 0)
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
}

function nrrReading(period: NrrPeriod, row: Row | undefined): NrrReading {
  if (period.kind === "none") return emptyNrr(period.periodDays);
  const accounts = count(row?.accounts);
  const startMrr = amount(row?.start_mrr);
  const endMrr = amount(row?.end_mrr);
  const value = accounts > 0 ? endMrr / startMrr : null;
  return {
    value,
    annualized: value === null ? null : value ** (365 / period.periodDays),
    periodDays: period.periodDays,
    startsAt: new Date(period.startMs).toISOString(),
    endsAt: new Date(period.endMs).toISOString(),
    accounts,
    startMrr,
    endMrr,
    expansion: amount(row?.expansion),
    contraction: amount(row?.contraction),
    churned: amount(row?.churned),
  };
}

/** A number PostHog sent as a JSON number or a numeric string (64-bit integers may come as text). */
function nullableNumber(value: unknown): number | null {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : null;
}

function count(value: unknown): number {
  if (value === undefined || value === null) return 0;
  const n = nullableNumber(value);
  if (n === null) {
    throw new PermanentError(
      "posthog-response",
      `PostHog answered a count with ${JSON.stringify(value)}`,
    );
  }
  return n;
}

const amount = (value: unknown): number => nullableNumber(value) ?? 0;
