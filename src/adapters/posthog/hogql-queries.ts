import type { EventNames } from "../../config/event-names.js";
import { DAY_MS, FIRST_MONDAY_MS, WEEK_MS } from "../../diagnose/cohort-week.js";
import type { DiagnoseSettings } from "../../diagnose/diagnose-settings.js";
import { resolvePqlRule } from "../../diagnose/pql-rule.js";
import type { Metric } from "../../domain/backlog-item.js";

/**
 * Every HogQL text shiploop sends to PostHog, in one place, so a reviewer can read them all
 * and paste any of them into PostHog's SQL editor (`inlineValues` fills in the values).
 *
 * Conventions, chosen so that PostHog and the events-file source (src/diagnose) agree:
 * - times are epoch milliseconds (`toUnixTimestamp64Milli(timestamp)`), so the project's time
 *   zone never shifts a cohort: cohorts are UTC weeks starting Monday, as in cohort-week.ts;
 * - a user is a `distinct_id` (as in the events file), an account is `properties.account_id`
 *   when present, else the `distinct_id`;
 * - event names and times travel as `values` (HogQL `{placeholder}` constants), never spliced
 *   into the text; property names come from settings and are written as quoted identifiers.
 */
export interface HogQLQuery {
  /** Sent as the query's `name`: it shows in PostHog's query log. */
  name: string;
  text: string;
  values: Record<string, string | number>;
}

const MS = "toUnixTimestamp64Milli(timestamp)";
const COHORT_START = `intDiv(signup_ms - ${FIRST_MONDAY_MS}, ${WEEK_MS}) * ${WEEK_MS} + ${FIRST_MONDAY_MS}`;

/** `properties.plan`, or ``properties.`odd name` `` for a name that is not a plain identifier. */
export function property(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name)
    ? `properties.${name}`
    : `properties.\`${name.replace(/[`\\]/g, "\\$&")}\``;
}

/** The query with its values written in as literals: what to paste into PostHog, and what error messages quote. */
export function inlineValues(query: HogQLQuery): string {
  return query.text.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = query.values[key];
    if (value === undefined) return whole;
    return typeof value === "number" ? String(value) : `'${value.replace(/[\\']/g, "\\$&")}'`;
  });
}

/** Keeps the values the text refers to: PostHog receives no unused placeholder. */
function onlyUsed(query: HogQLQuery): HogQLQuery {
  const used = new Set([...query.text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));
  const values = Object.fromEntries(Object.entries(query.values).filter(([k]) => used.has(k)));
  return { ...query, values };
}

/** The events and PQL signals the funnel reads, with the placeholder names the queries use. */
interface FunnelEvents {
  values: Record<string, string>;
  /** Placeholder of each PQL signal's event, by signal index. */
  signals: string[];
}

function funnelEvents(names: EventNames, settings: DiagnoseSettings): FunnelEvents {
  const rule = resolvePqlRule(settings.pql, names);
  const signalEvents: string[] = [];
  for (const [event, indexes] of rule.signalsByEvent) {
    for (const i of indexes) signalEvents[i] = event;
  }
  const values: Record<string, string> = {
    signup: names.signup,
    activation: names.activation,
    subscription_started: names.subscriptionStarted,
    mrr_changed: names.mrrChanged,
    subscription_cancelled: names.subscriptionCancelled,
  };
  const signals = signalEvents.map((event, i) => {
    values[`signal_${i}`] = event;
    return `{signal_${i}}`;
  });
  return { values, signals };
}

/** An MRR that would corrupt revenue: missing, not a number, or negative. */
const BAD_MRR = "coalesce(toFloat(properties.mrr), -1) < 0";

/**
 * Counts what the funnel reads and finds "now": the latest event (the diagnosis is as of the
 * data, never the clock) and the first revenue (which bounds the NRR period).
 */
export function funnelOverviewQuery(names: EventNames, settings: DiagnoseSettings): HogQLQuery {
  const ev = funnelEvents(names, settings);
  const used = [
    "{signup}",
    "{activation}",
    "{subscription_started}",
    "{mrr_changed}",
    "{subscription_cancelled}",
    ...ev.signals,
  ];
  return {
    name: "shiploop-funnel-overview",
    values: ev.values,
    text: `-- shiploop: funnel overview: the latest event, event counts, the first revenue
SELECT
    count() AS read,
    countIf(is_used AND NOT is_bad) AS used,
    countIf(NOT is_used) AS ignored,
    countIf(is_bad) AS bad_mrr,
    maxIf(ms, NOT is_bad) AS as_of_ms,
    countIf(is_revenue) AS revenue_points,
    minIf(ms, is_revenue) AS first_revenue_ms
FROM (
    SELECT
        ${MS} AS ms,
        event IN (${used.join(", ")}) AS is_used,
        event = {mrr_changed} AND ${BAD_MRR} AS is_bad,
        event = {subscription_cancelled}
            OR (event IN ({subscription_started}, {mrr_changed}) AND NOT (${BAD_MRR})) AS is_revenue
    FROM events
)`,
  };
}

/** Users with funnel events but no signup: they belong to no cohort. */
export function usersWithoutSignupQuery(names: EventNames, settings: DiagnoseSettings): HogQLQuery {
  const ev = funnelEvents(names, settings);
  const userEvents = ["{signup}", "{activation}", "{subscription_started}", ...ev.signals];
  return onlyUsed({
    name: "shiploop-users-without-signup",
    values: ev.values,
    text: `-- shiploop: users with funnel events but no signup (they belong to no cohort)
SELECT count() AS users_without_signup
FROM (
    SELECT distinct_id
    FROM events
    WHERE event IN (${userEvents.join(", ")})
    GROUP BY distinct_id
    HAVING countIf(event = {signup}) = 0
)`,
  });
}

/**
 * One row per signed-up user: the first signup, its cohort, and the time from signup to the
 * first `{later}` event at or after it (`NULL` when there is none).
 */
function signupFacts(later: string, delayAlias: string): string {
  return `SELECT
        signup_ms,
        ${COHORT_START} AS cohort_start_ms,
        arrayFilter(t -> t >= signup_ms, later_times) AS after_signup,
        if(empty(after_signup), NULL, arrayMin(after_signup) - signup_ms) AS ${delayAlias}
    FROM (
        SELECT
            distinct_id,
            minIf(ms, event = {signup}) AS signup_ms,
            groupArrayIf(ms, event = ${later}) AS later_times
        FROM (
            SELECT distinct_id, event, ${MS} AS ms
            FROM events
            WHERE event IN ({signup}, ${later})
        )
        GROUP BY distinct_id
        HAVING countIf(event = {signup}) > 0
    )`;
}

const ACTIVATED = "ttv_ms <= {activation_window_ms}";

/** Activation and time to value (median, p75; R-7 quantiles as in quantile.ts) per weekly signup cohort. */
export function activationByCohortQuery(names: EventNames, settings: DiagnoseSettings): HogQLQuery {
  return {
    name: "shiploop-activation-by-cohort",
    values: {
      signup: names.signup,
      activation: names.activation,
      activation_window_ms: settings.activationDays * DAY_MS,
    },
    text: `-- shiploop: activation and time to value per weekly signup cohort
SELECT
    cohort_start_ms,
    count() AS signups,
    countIf(${ACTIVATED}) AS activated,
    quantileExactInclusive(0.5)(if(${ACTIVATED}, ttv_ms / 60000, NULL)) AS ttv_median_minutes,
    quantileExactInclusive(0.75)(if(${ACTIVATED}, ttv_ms / 60000, NULL)) AS ttv_p75_minutes
FROM (
    ${signupFacts("{activation}", "ttv_ms")}
)
GROUP BY cohort_start_ms
ORDER BY cohort_start_ms`,
  };
}

/** The headline time to value: the median over the pooled cohorts `[fromCohortMs, toCohortMs]`. */
export function ttvHeadlineQuery(
  names: EventNames,
  settings: DiagnoseSettings,
  cohorts: { fromMs: number; toMs: number },
): HogQLQuery {
  return {
    name: "shiploop-ttv-headline",
    values: {
      signup: names.signup,
      activation: names.activation,
      activation_window_ms: settings.activationDays * DAY_MS,
      from_cohort_ms: cohorts.fromMs,
      to_cohort_ms: cohorts.toMs,
    },
    text: `-- shiploop: time to value over the pooled recent complete cohorts
SELECT
    count() AS users,
    quantileExactInclusive(0.5)(ttv_ms / 60000) AS ttv_median_minutes
FROM (
    ${signupFacts("{activation}", "ttv_ms")}
)
WHERE cohort_start_ms >= {from_cohort_ms} AND cohort_start_ms <= {to_cohort_ms} AND ${ACTIVATED}`,
  };
}

/** Free-to-paid per weekly signup cohort: a subscription start within `conversionDays` of signup. */
export function freeToPaidByCohortQuery(names: EventNames, settings: DiagnoseSettings): HogQLQuery {
  return {
    name: "shiploop-free-to-paid-by-cohort",
    values: {
      signup: names.signup,
      subscription_started: names.subscriptionStarted,
      conversion_window_ms: settings.conversionDays * DAY_MS,
    },
    text: `-- shiploop: free-to-paid per weekly signup cohort
SELECT
    cohort_start_ms,
    count() AS signups,
    countIf(paid_after_ms <= {conversion_window_ms}) AS paid
FROM (
    ${signupFacts("{subscription_started}", "paid_after_ms")}
)
GROUP BY cohort_start_ms
ORDER BY cohort_start_ms`,
  };
}

/**
 * PQLs and their conversion per weekly signup cohort. A user qualifies at the first signal
 * occurrence t (at or after signup) at which every signal has its count of distinct keys in
 * [t − window, t] (see pql-rule.ts); an occurrence without its `distinctBy` value is its own key.
 * A PQL is qualified within `conversionDays` of signup, not having paid before; converted when
 * paid within `conversionDays` of signup.
 */
export function pqlByCohortQuery(names: EventNames, settings: DiagnoseSettings): HogQLQuery {
  const ev = funnelEvents(names, settings);
  const rule = settings.pql;
  const keyOf = (i: number) => {
    const by = rule.signals[i]?.distinctBy;
    if (by === undefined) return "concat('#', toString(uuid))";
    const p = property(by);
    return `if(coalesce(toString(${p}), '') = '', concat('#', toString(uuid)), concat('=', toString(${p})))`;
  };
  const keys = ev.signals.map((_, i) => `${keyOf(i)} AS key_${i}`);
  const arrays = ev.signals.flatMap((s, i) => [
    `groupArrayIf(ms, event = ${s}) AS signal_${i}_times`,
    `groupArrayIf(key_${i}, event = ${s}) AS signal_${i}_keys`,
  ]);
  const met = rule.signals.map(
    (signal, i) =>
      `length(arrayDistinct(arrayFilter((k, x) -> x >= signup_ms AND x >= t - {pql_window_ms} AND x <= t, signal_${i}_keys, signal_${i}_times))) >= ${signal.atLeast}`,
  );
  const allTimes = ev.signals.map((_, i) => `signal_${i}_times`).join(", ");
  return onlyUsed({
    name: "shiploop-pql-by-cohort",
    values: {
      ...ev.values,
      pql_window_ms: rule.windowHours * 3_600_000,
      conversion_window_ms: settings.conversionDays * DAY_MS,
    },
    text: `-- shiploop: product-qualified leads and their conversion per weekly signup cohort
SELECT
    cohort_start_ms,
    countIf(is_pql) AS pqls,
    countIf(is_pql AND paid_ms - signup_ms <= {conversion_window_ms}) AS pqls_converted
FROM (
    SELECT
        cohort_start_ms,
        signup_ms,
        paid_ms,
        qualified_ms IS NOT NULL
            AND qualified_ms - signup_ms <= {conversion_window_ms}
            AND (paid_ms IS NULL OR paid_ms >= qualified_ms) AS is_pql
    FROM (
        SELECT
            signup_ms,
            ${COHORT_START} AS cohort_start_ms,
            arrayFilter(t -> t >= signup_ms, payment_times) AS payments,
            if(empty(payments), NULL, arrayMin(payments)) AS paid_ms,
            arrayFilter(t -> t >= signup_ms, arrayConcat(${allTimes})) AS candidates,
            arrayFilter(t ->
                ${met.join("\n                AND ")},
                candidates) AS qualifying,
            if(empty(qualifying), NULL, arrayMin(qualifying)) AS qualified_ms
        FROM (
            SELECT
                distinct_id,
                minIf(ms, event = {signup}) AS signup_ms,
                groupArrayIf(ms, event = {subscription_started}) AS payment_times,
                ${arrays.join(",\n                ")}
            FROM (
                SELECT
                    distinct_id,
                    event,
                    ${MS} AS ms,
                    ${keys.join(",\n                    ")}
                FROM events
                WHERE event IN ({signup}, {subscription_started}, ${[...new Set(ev.signals)].join(", ")})
            )
            GROUP BY distinct_id
            HAVING countIf(event = {signup}) > 0
        )
    )
)
GROUP BY cohort_start_ms
ORDER BY cohort_start_ms`,
  });
}

/**
 * Net revenue retention over [startMs, endMs]: the accounts paying at the start, their MRR at
 * both ends (the last level set at or before each), and the change split as in nrr.ts.
 */
export function nrrQuery(
  names: EventNames,
  period: { startMs: number; endMs: number },
): HogQLQuery {
  return {
    name: "shiploop-nrr",
    values: {
      subscription_started: names.subscriptionStarted,
      mrr_changed: names.mrrChanged,
      subscription_cancelled: names.subscriptionCancelled,
      start_ms: period.startMs,
      end_ms: period.endMs,
    },
    text: `-- shiploop: net revenue retention of the accounts paying at the period's start
SELECT
    count() AS accounts,
    sum(start_mrr) AS start_mrr,
    sum(end_mrr) AS end_mrr,
    sumIf(end_mrr - start_mrr, end_mrr > start_mrr) AS expansion,
    sumIf(start_mrr - end_mrr, end_mrr > 0 AND end_mrr < start_mrr) AS contraction,
    sumIf(start_mrr, end_mrr = 0) AS churned
FROM (
    SELECT
        account,
        argMaxIf(mrr, ms, ms <= {start_ms}) AS start_mrr,
        argMaxIf(mrr, ms, ms <= {end_ms}) AS end_mrr
    FROM (
        SELECT
            if(coalesce(properties.account_id, '') = '', distinct_id, properties.account_id) AS account,
            ${MS} AS ms,
            if(event = {subscription_cancelled}, 0, toFloat(properties.mrr)) AS mrr
        FROM events
        WHERE event = {subscription_cancelled}
            OR (event IN ({subscription_started}, {mrr_changed}) AND NOT (${BAD_MRR}))
    )
    GROUP BY account
    HAVING start_mrr > 0
)`,
  };
}

/** The window of an experiment and the flag whose exposures split its users. */
export interface ExposureWindow {
  flag: string;
  fromMs: number;
  untilMs: number;
}

/**
 * Each user's first exposure to the flag in the window and its variant (`$feature_flag_response`).
 * Users who saw more than one variant are left out, as PostHog's own experiments do.
 */
function exposures(): string {
  return `SELECT
            distinct_id,
            argMin(toString(properties.$feature_flag_response), timestamp) AS variant,
            min(${MS}) AS exposed_ms
        FROM events
        WHERE event = '$feature_flag_called'
            AND properties.$feature_flag = {flag}
            AND ${MS} >= {from_ms} AND ${MS} <= {until_ms}
        GROUP BY distinct_id
        HAVING uniqExact(toString(properties.$feature_flag_response)) = 1`;
}

/** Exposed users per flag variant: the assignment counts behind the sample-ratio check. */
export function exposuresQuery(window: ExposureWindow): HogQLQuery {
  return {
    name: "shiploop-experiment-exposures",
    values: { flag: window.flag, from_ms: window.fromMs, until_ms: window.untilMs },
    text: `-- shiploop: users exposed to the experiment's flag, per variant
SELECT variant, count() AS users
FROM (
    ${exposures()}
)
GROUP BY variant
ORDER BY variant`,
  };
}

/**
 * Per-variant sufficient statistics of one metric over exposed users. A user's value counts
 * the metric's events from their first exposure to `until`: proportion = did it happen (0/1),
 * mean = the sum of `property` (or the number of events), ratio = the sum of `property` over
 * the number of events. The pre-period value (the same metric over `[preFromMs, fromMs)`, before
 * anyone was exposed) feeds CUPED for proportion and mean metrics.
 */
export function metricQuery(
  metric: Pick<Metric, "event" | "type" | "property">,
  window: ExposureWindow & { preFromMs: number },
): HogQLQuery {
  const amount = metric.property ? `coalesce(toFloat(${property(metric.property)}), 0)` : "1";
  const value = metric.type === "proportion" ? "if(length(after) > 0, 1, 0)" : "arraySum(after)";
  const preValue = metric.type === "proportion" ? "if(m.pre_count > 0, 1, 0)" : "m.pre_amount";
  const cuped = metric.type !== "ratio";
  const columns = [
    "count() AS n",
    "sum(value) AS sum",
    "sum(value * value) AS sum_squares",
    ...(cuped
      ? [
          "sum(pre_value) AS pre_sum",
          "sum(pre_value * pre_value) AS pre_sum_squares",
          "sum(value * pre_value) AS sum_product_pre",
        ]
      : [
          "sum(denominator) AS denominator_sum",
          "sum(denominator * denominator) AS denominator_sum_squares",
          "sum(value * denominator) AS sum_product_denominator",
        ]),
  ];
  return {
    name: `shiploop-experiment-metric-${metric.type}`,
    values: {
      flag: window.flag,
      from_ms: window.fromMs,
      until_ms: window.untilMs,
      pre_from_ms: window.preFromMs,
      metric_event: metric.event,
    },
    text: `-- shiploop: one experiment metric per variant, with pre-period sums for CUPED
SELECT
    variant,
    ${columns.join(",\n    ")}
FROM (
    SELECT
        x.variant AS variant,
        arrayFilter((a, t) -> t >= x.exposed_ms AND t <= {until_ms}, m.amounts, m.times) AS after,
        ${value} AS value,
        length(after) AS denominator,
        ${preValue} AS pre_value
    FROM (
        ${exposures()}
    ) AS x
    LEFT JOIN (
        SELECT
            distinct_id,
            groupArrayIf(amount, ms >= {from_ms}) AS amounts,
            groupArrayIf(ms, ms >= {from_ms}) AS times,
            countIf(ms < {from_ms}) AS pre_count,
            sumIf(amount, ms < {from_ms}) AS pre_amount
        FROM (
            SELECT distinct_id, ${MS} AS ms, ${amount} AS amount
            FROM events
            WHERE event = {metric_event} AND ${MS} >= {pre_from_ms} AND ${MS} <= {until_ms}
        )
        GROUP BY distinct_id
    ) AS m ON m.distinct_id = x.distinct_id
)
GROUP BY variant
ORDER BY variant`,
  };
}
