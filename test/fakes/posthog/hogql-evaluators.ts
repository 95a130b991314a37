import {
  activationByCohortQuery,
  exposuresQuery,
  freeToPaidByCohortQuery,
  funnelOverviewQuery,
  metricQuery,
  nrrQuery,
  pqlByCohortQuery,
  ttvHeadlineQuery,
  usersWithoutSignupQuery,
} from "../../../src/adapters/posthog/hogql-queries.js";
import type { EventNames } from "../../../src/config/event-names.js";
import type { DiagnoseSettings } from "../../../src/diagnose/diagnose-settings.js";
import type { Metric } from "../../../src/domain/backlog-item.js";

/**
 * What the fake PostHog computes for each HogQL text shiploop sends: small evaluators that do
 * what the SQL says (ClickHouse semantics: `minIf` over nothing is 0, NULLs are skipped by
 * aggregates, `quantileExactInclusive` is R-7) over the events the fake holds. Keyed by the
 * exact text from src/adapters/posthog/hogql-queries.ts; the runtime parameters arrive as the
 * query's `values`, like in PostHog. They never call src/diagnose: agreement must be earned.
 */

export interface StoredEvent {
  uuid: string;
  event: string;
  distinct_id: string;
  /** Epoch ms. */
  ms: number;
  properties: Record<string, unknown>;
}

export interface Table {
  columns: string[];
  results: unknown[][];
}

export type Values = Record<string, unknown>;
export type Evaluator = (values: Values, events: readonly StoredEvent[]) => Table;

/** A HogQL error the fake answers with 400, like PostHog's `validation_error`. */
export class HogQLError extends Error {}

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const MONDAY = 4 * DAY;

/** `properties.x` in HogQL: text of a JSON scalar, NULL when missing or null. */
export function prop(e: StoredEvent, key: string): string | null {
  const v = e.properties[key];
  if (v === undefined || v === null) return null;
  return typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v);
}

/** HogQL `toFloat(properties.x)`: NULL unless the text is a number. */
export function toFloat(text: string | null): number | null {
  if (text === null || text.trim() === "") return null;
  const n = Number(text);
  return Number.isNaN(n) ? null : n;
}

const badMrr = (e: StoredEvent) => (toFloat(prop(e, "mrr")) ?? -1) < 0;
const str = (values: Values, key: string) => {
  const v = values[key];
  if (typeof v !== "string") throw new HogQLError(`Placeholder {${key}} is missing a string value`);
  return v;
};
const int = (values: Values, key: string) => {
  const v = values[key];
  if (typeof v !== "number") throw new HogQLError(`Placeholder {${key}} is missing a number value`);
  return v;
};
const signalEvents = (values: Values) =>
  Object.keys(values)
    .filter((k) => /^signal_\d+$/.test(k))
    .sort((a, b) => Number(a.slice(7)) - Number(b.slice(7)))
    .map((k) => str(values, k));

/** R-7 quantile, ClickHouse `quantileExactInclusive`; NULL over nothing. */
export function quantileInclusive(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const a = sorted[lo] as number;
  const b = sorted[Math.ceil(pos)] as number;
  return a + (b - a) * (pos - lo);
}

function groupBy<T, K>(items: Iterable<T>, key: (t: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

const cohortStart = (signup: number) => Math.trunc((signup - MONDAY) / WEEK) * WEEK + MONDAY;

/** The `signupFacts` subquery: one row per user with a signup, and the delay to `later`. */
function signupFacts(events: readonly StoredEvent[], signup: string, later: string) {
  const rows = events.filter((e) => e.event === signup || e.event === later);
  const out: { signup: number; cohort: number; delay: number | null }[] = [];
  for (const list of groupBy(rows, (e) => e.distinct_id).values()) {
    const signups = list.filter((e) => e.event === signup).map((e) => e.ms);
    if (signups.length === 0) continue;
    const s = Math.min(...signups);
    const after = list.filter((e) => e.event === later && e.ms >= s).map((e) => e.ms);
    out.push({
      signup: s,
      cohort: cohortStart(s),
      delay: after.length ? Math.min(...after) - s : null,
    });
  }
  return out;
}

function overview(values: Values, events: readonly StoredEvent[]): Table {
  const used = new Set([
    str(values, "signup"),
    str(values, "activation"),
    str(values, "subscription_started"),
    str(values, "mrr_changed"),
    str(values, "subscription_cancelled"),
    ...signalEvents(values),
  ]);
  const mrrChanged = str(values, "mrr_changed");
  const started = str(values, "subscription_started");
  const cancelled = str(values, "subscription_cancelled");
  let usedCount = 0;
  let ignored = 0;
  let bad = 0;
  let asOf = 0;
  let revenue = 0;
  let firstRevenue: number | null = null;
  for (const e of events) {
    const isUsed = used.has(e.event);
    const isBad = e.event === mrrChanged && badMrr(e);
    const isRevenue =
      e.event === cancelled || ((e.event === started || e.event === mrrChanged) && !badMrr(e));
    if (isUsed && !isBad) usedCount += 1;
    if (!isUsed) ignored += 1;
    if (isBad) bad += 1;
    if (!isBad) asOf = Math.max(asOf, e.ms);
    if (isRevenue) {
      revenue += 1;
      firstRevenue = firstRevenue === null ? e.ms : Math.min(firstRevenue, e.ms);
    }
  }
  return {
    columns: [
      "read",
      "used",
      "ignored",
      "bad_mrr",
      "as_of_ms",
      "revenue_points",
      "first_revenue_ms",
    ],
    results: [[events.length, usedCount, ignored, bad, asOf, revenue, firstRevenue ?? 0]],
  };
}

function usersWithoutSignup(values: Values, events: readonly StoredEvent[]): Table {
  const signup = str(values, "signup");
  const userEvents = new Set([
    signup,
    str(values, "activation"),
    str(values, "subscription_started"),
    ...signalEvents(values),
  ]);
  const users = groupBy(
    events.filter((e) => userEvents.has(e.event)),
    (e) => e.distinct_id,
  );
  const count = [...users.values()].filter((l) => !l.some((e) => e.event === signup)).length;
  return { columns: ["users_without_signup"], results: [[count]] };
}

function activationByCohort(values: Values, events: readonly StoredEvent[]): Table {
  const window = int(values, "activation_window_ms");
  const facts = signupFacts(events, str(values, "signup"), str(values, "activation"));
  const results = [...groupBy(facts, (f) => f.cohort)]
    .sort(([a], [b]) => a - b)
    .map(([cohort, users]) => {
      const ttv = users
        .filter((u) => u.delay !== null && u.delay <= window)
        .map((u) => (u.delay as number) / 60_000);
      return [
        cohort,
        users.length,
        ttv.length,
        quantileInclusive(ttv, 0.5),
        quantileInclusive(ttv, 0.75),
      ];
    });
  return {
    columns: ["cohort_start_ms", "signups", "activated", "ttv_median_minutes", "ttv_p75_minutes"],
    results,
  };
}

function ttvHeadline(values: Values, events: readonly StoredEvent[]): Table {
  const window = int(values, "activation_window_ms");
  const from = int(values, "from_cohort_ms");
  const to = int(values, "to_cohort_ms");
  const ttv = signupFacts(events, str(values, "signup"), str(values, "activation"))
    .filter((u) => u.cohort >= from && u.cohort <= to && u.delay !== null && u.delay <= window)
    .map((u) => (u.delay as number) / 60_000);
  return {
    columns: ["users", "ttv_median_minutes"],
    results: [[ttv.length, quantileInclusive(ttv, 0.5)]],
  };
}

function freeToPaidByCohort(values: Values, events: readonly StoredEvent[]): Table {
  const window = int(values, "conversion_window_ms");
  const facts = signupFacts(events, str(values, "signup"), str(values, "subscription_started"));
  const results = [...groupBy(facts, (f) => f.cohort)]
    .sort(([a], [b]) => a - b)
    .map(([cohort, users]) => [
      cohort,
      users.length,
      users.filter((u) => u.delay !== null && u.delay <= window).length,
    ]);
  return { columns: ["cohort_start_ms", "signups", "paid"], results };
}

function pqlByCohort(settings: DiagnoseSettings): Evaluator {
  return (values, events) => {
    const signup = str(values, "signup");
    const started = str(values, "subscription_started");
    const signals = signalEvents(values);
    const windowMs = int(values, "pql_window_ms");
    const conversion = int(values, "conversion_window_ms");
    const keyOf = (e: StoredEvent, i: number) => {
      const by = settings.pql.signals[i]?.distinctBy;
      const v = by === undefined ? null : prop(e, by);
      return v === null || v === "" ? `#${e.uuid}` : `=${v}`;
    };
    const wanted = new Set([signup, started, ...signals]);
    const byUser = groupBy(
      events.filter((e) => wanted.has(e.event)),
      (e) => e.distinct_id,
    );
    const byCohort = new Map<number, { pqls: number; converted: number }>();
    for (const list of byUser.values()) {
      const signups = list.filter((e) => e.event === signup).map((e) => e.ms);
      if (signups.length === 0) continue;
      const s = Math.min(...signups);
      const cohort = cohortStart(s);
      const payments = list.filter((e) => e.event === started && e.ms >= s).map((e) => e.ms);
      const paid = payments.length ? Math.min(...payments) : null;
      const occ = signals.map((event, i) =>
        list.filter((e) => e.event === event).map((e) => ({ t: e.ms, key: keyOf(e, i) })),
      );
      const candidates = occ
        .flat()
        .map((o) => o.t)
        .filter((t) => t >= s);
      const qualifying = candidates.filter((t) =>
        occ.every((list, i) => {
          const keys = new Set(
            list.filter((o) => o.t >= s && o.t >= t - windowMs && o.t <= t).map((o) => o.key),
          );
          return keys.size >= (settings.pql.signals[i]?.atLeast ?? 1);
        }),
      );
      const q = qualifying.length ? Math.min(...qualifying) : null;
      const isPql = q !== null && q - s <= conversion && (paid === null || paid >= q);
      const row = byCohort.get(cohort) ?? { pqls: 0, converted: 0 };
      if (isPql) row.pqls += 1;
      if (isPql && paid !== null && paid - s <= conversion) row.converted += 1;
      byCohort.set(cohort, row);
    }
    return {
      columns: ["cohort_start_ms", "pqls", "pqls_converted"],
      results: [...byCohort]
        .sort(([a], [b]) => a - b)
        .map(([cohort, r]) => [cohort, r.pqls, r.converted]),
    };
  };
}

function nrr(values: Values, events: readonly StoredEvent[]): Table {
  const started = str(values, "subscription_started");
  const changed = str(values, "mrr_changed");
  const cancelled = str(values, "subscription_cancelled");
  const start = int(values, "start_ms");
  const end = int(values, "end_ms");
  const points = events
    .filter(
      (e) => e.event === cancelled || ((e.event === started || e.event === changed) && !badMrr(e)),
    )
    .map((e) => {
      const account = prop(e, "account_id");
      return {
        account: account === null || account === "" ? e.distinct_id : account,
        ms: e.ms,
        mrr: e.event === cancelled ? 0 : (toFloat(prop(e, "mrr")) as number),
      };
    });
  // argMaxIf: the value at the greatest time satisfying the condition; 0 when none does.
  const levelAt = (list: typeof points, t: number) => {
    let best: (typeof points)[number] | undefined;
    for (const p of list) if (p.ms <= t && (!best || p.ms >= best.ms)) best = p;
    return best?.mrr ?? 0;
  };
  let accounts = 0;
  let startMrr = 0;
  let endMrr = 0;
  let expansion = 0;
  let contraction = 0;
  let churned = 0;
  for (const list of groupBy(points, (p) => p.account).values()) {
    const a = levelAt(list, start);
    if (!(a > 0)) continue;
    const b = levelAt(list, end);
    accounts += 1;
    startMrr += a;
    endMrr += b;
    if (b > a) expansion += b - a;
    if (b > 0 && b < a) contraction += a - b;
    if (b === 0) churned += a;
  }
  return {
    columns: ["accounts", "start_mrr", "end_mrr", "expansion", "contraction", "churned"],
    results: [[accounts, startMrr, endMrr, expansion, contraction, churned]],
  };
}

/** The `exposures()` subquery: first exposure per user, users with one variant only. */
function exposedUsers(values: Values, events: readonly StoredEvent[]) {
  const flag = str(values, "flag");
  const from = int(values, "from_ms");
  const until = int(values, "until_ms");
  const calls = events.filter(
    (e) =>
      e.event === "$feature_flag_called" &&
      prop(e, "$feature_flag") === flag &&
      e.ms >= from &&
      e.ms <= until,
  );
  const out = new Map<string, { variant: string; exposed: number }>();
  for (const [id, list] of groupBy(calls, (e) => e.distinct_id)) {
    const variants = new Set(list.map((e) => prop(e, "$feature_flag_response") ?? ""));
    if (variants.size !== 1) continue;
    const first = list.reduce((a, b) => (b.ms < a.ms ? b : a));
    out.set(id, { variant: prop(first, "$feature_flag_response") ?? "", exposed: first.ms });
  }
  return out;
}

function exposures(values: Values, events: readonly StoredEvent[]): Table {
  const counts = new Map<string, number>();
  for (const { variant } of exposedUsers(values, events).values()) {
    counts.set(variant, (counts.get(variant) ?? 0) + 1);
  }
  return {
    columns: ["variant", "users"],
    results: [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([v, n]) => [v, n]),
  };
}

function metricEvaluator(metric: Pick<Metric, "event" | "type" | "property">): Evaluator {
  return (values, events) => {
    const from = int(values, "from_ms");
    const until = int(values, "until_ms");
    const preFrom = int(values, "pre_from_ms");
    const event = str(values, "metric_event");
    const amountOf = (e: StoredEvent) =>
      metric.property ? (toFloat(prop(e, metric.property)) ?? 0) : 1;
    const byUser = groupBy(
      events.filter((e) => e.event === event && e.ms >= preFrom && e.ms <= until),
      (e) => e.distinct_id,
    );
    const stats = new Map<string, number[]>();
    for (const [id, x] of exposedUsers(values, events)) {
      const list = byUser.get(id) ?? [];
      const after = list
        .filter((e) => e.ms >= from && e.ms >= x.exposed && e.ms <= until)
        .map(amountOf);
      const pre = list.filter((e) => e.ms < from);
      const value = metric.type === "proportion" ? (after.length > 0 ? 1 : 0) : sum(after);
      const preValue =
        metric.type === "proportion" ? (pre.length > 0 ? 1 : 0) : sum(pre.map(amountOf));
      const second = metric.type === "ratio" ? after.length : preValue;
      const s = stats.get(x.variant) ?? [0, 0, 0, 0, 0, 0];
      const add = [1, value, value * value, second, second * second, value * second];
      stats.set(
        x.variant,
        s.map((v, i) => v + (add[i] as number)),
      );
    }
    const columns =
      metric.type === "ratio"
        ? ["denominator_sum", "denominator_sum_squares", "sum_product_denominator"]
        : ["pre_sum", "pre_sum_squares", "sum_product_pre"];
    return {
      columns: ["variant", "n", "sum", "sum_squares", ...columns],
      results: [...stats].sort(([a], [b]) => a.localeCompare(b)).map(([v, s]) => [v, ...s]),
    };
  };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Every funnel query shiploop sends for these names and settings, with what PostHog would answer. */
export function funnelAnswers(
  names: EventNames,
  settings: DiagnoseSettings,
): [string, Evaluator][] {
  const period = { startMs: 0, endMs: 0 };
  const cohorts = { fromMs: 0, toMs: 0 };
  return [
    [funnelOverviewQuery(names, settings).text, overview],
    [usersWithoutSignupQuery(names, settings).text, usersWithoutSignup],
    [activationByCohortQuery(names, settings).text, activationByCohort],
    [ttvHeadlineQuery(names, settings, cohorts).text, ttvHeadline],
    [freeToPaidByCohortQuery(names, settings).text, freeToPaidByCohort],
    [pqlByCohortQuery(names, settings).text, pqlByCohort(settings)],
    [nrrQuery(names, period).text, nrr],
  ];
}

/** The experiment queries for these metrics (the texts depend on type and property only). */
export function experimentAnswers(
  metrics: readonly Pick<Metric, "event" | "type" | "property">[],
): [string, Evaluator][] {
  const window = { flag: "", fromMs: 0, untilMs: 0, preFromMs: 0 };
  return [
    [exposuresQuery(window).text, exposures],
    ...metrics.map((m): [string, Evaluator] => [metricQuery(m, window).text, metricEvaluator(m)]),
  ];
}
