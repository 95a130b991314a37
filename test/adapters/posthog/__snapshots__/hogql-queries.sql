-- shiploop-funnel-overview
-- shiploop: funnel overview: the latest event, event counts, the first revenue
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
        toUnixTimestamp64Milli(timestamp) AS ms,
        event IN ('signed_up', 'activated', 'subscription_started', 'mrr_changed', 'subscription_cancelled', 'invited_teammate', 'saved_workflow', 'viewed_pricing') AS is_used,
        event = 'mrr_changed' AND coalesce(toFloat(properties.mrr), -1) < 0 AS is_bad,
        event = 'subscription_cancelled'
            OR (event IN ('subscription_started', 'mrr_changed') AND NOT (coalesce(toFloat(properties.mrr), -1) < 0)) AS is_revenue
    FROM events
);

-- shiploop-users-without-signup
-- shiploop: users with funnel events but no signup (they belong to no cohort)
SELECT count() AS users_without_signup
FROM (
    SELECT distinct_id
    FROM events
    WHERE event IN ('signed_up', 'activated', 'subscription_started', 'invited_teammate', 'saved_workflow', 'viewed_pricing')
    GROUP BY distinct_id
    HAVING countIf(event = 'signed_up') = 0
);

-- shiploop-activation-by-cohort
-- shiploop: activation and time to value per weekly signup cohort
SELECT
    cohort_start_ms,
    count() AS signups,
    countIf(ttv_ms <= 604800000) AS activated,
    quantileExactInclusive(0.5)(if(ttv_ms <= 604800000, ttv_ms / 60000, NULL)) AS ttv_median_minutes,
    quantileExactInclusive(0.75)(if(ttv_ms <= 604800000, ttv_ms / 60000, NULL)) AS ttv_p75_minutes
FROM (
    SELECT
        signup_ms,
        intDiv(signup_ms - 345600000, 604800000) * 604800000 + 345600000 AS cohort_start_ms,
        arrayFilter(t -> t >= signup_ms, later_times) AS after_signup,
        if(empty(after_signup), NULL, arrayMin(after_signup) - signup_ms) AS ttv_ms
    FROM (
        SELECT
            distinct_id,
            minIf(ms, event = 'signed_up') AS signup_ms,
            groupArrayIf(ms, event = 'activated') AS later_times
        FROM (
            SELECT distinct_id, event, toUnixTimestamp64Milli(timestamp) AS ms
            FROM events
            WHERE event IN ('signed_up', 'activated')
        )
        GROUP BY distinct_id
        HAVING countIf(event = 'signed_up') > 0
    )
)
GROUP BY cohort_start_ms
ORDER BY cohort_start_ms;

-- shiploop-ttv-headline
-- shiploop: time to value over the pooled recent complete cohorts
SELECT
    count() AS users,
    quantileExactInclusive(0.5)(ttv_ms / 60000) AS ttv_median_minutes
FROM (
    SELECT
        signup_ms,
        intDiv(signup_ms - 345600000, 604800000) * 604800000 + 345600000 AS cohort_start_ms,
        arrayFilter(t -> t >= signup_ms, later_times) AS after_signup,
        if(empty(after_signup), NULL, arrayMin(after_signup) - signup_ms) AS ttv_ms
    FROM (
        SELECT
            distinct_id,
            minIf(ms, event = 'signed_up') AS signup_ms,
            groupArrayIf(ms, event = 'activated') AS later_times
        FROM (
            SELECT distinct_id, event, toUnixTimestamp64Milli(timestamp) AS ms
            FROM events
            WHERE event IN ('signed_up', 'activated')
        )
        GROUP BY distinct_id
        HAVING countIf(event = 'signed_up') > 0
    )
)
WHERE cohort_start_ms >= 1766966400000 AND cohort_start_ms <= 1768780800000 AND ttv_ms <= 604800000;

-- shiploop-free-to-paid-by-cohort
-- shiploop: free-to-paid per weekly signup cohort
SELECT
    cohort_start_ms,
    count() AS signups,
    countIf(paid_after_ms <= 2592000000) AS paid
FROM (
    SELECT
        signup_ms,
        intDiv(signup_ms - 345600000, 604800000) * 604800000 + 345600000 AS cohort_start_ms,
        arrayFilter(t -> t >= signup_ms, later_times) AS after_signup,
        if(empty(after_signup), NULL, arrayMin(after_signup) - signup_ms) AS paid_after_ms
    FROM (
        SELECT
            distinct_id,
            minIf(ms, event = 'signed_up') AS signup_ms,
            groupArrayIf(ms, event = 'subscription_started') AS later_times
        FROM (
            SELECT distinct_id, event, toUnixTimestamp64Milli(timestamp) AS ms
            FROM events
            WHERE event IN ('signed_up', 'subscription_started')
        )
        GROUP BY distinct_id
        HAVING countIf(event = 'signed_up') > 0
    )
)
GROUP BY cohort_start_ms
ORDER BY cohort_start_ms;

-- shiploop-pql-by-cohort
-- shiploop: product-qualified leads and their conversion per weekly signup cohort
SELECT
    cohort_start_ms,
    countIf(is_pql) AS pqls,
    countIf(is_pql AND paid_ms - signup_ms <= 2592000000) AS pqls_converted
FROM (
    SELECT
        cohort_start_ms,
        signup_ms,
        paid_ms,
        qualified_ms IS NOT NULL
            AND qualified_ms - signup_ms <= 2592000000
            AND (paid_ms IS NULL OR paid_ms >= qualified_ms) AS is_pql
    FROM (
        SELECT
            signup_ms,
            intDiv(signup_ms - 345600000, 604800000) * 604800000 + 345600000 AS cohort_start_ms,
            arrayFilter(t -> t >= signup_ms, payment_times) AS payments,
            if(empty(payments), NULL, arrayMin(payments)) AS paid_ms,
            arrayFilter(t -> t >= signup_ms, arrayConcat(signal_0_times, signal_1_times, signal_2_times)) AS candidates,
            arrayFilter(t ->
                length(arrayDistinct(arrayFilter((k, x) -> x >= signup_ms AND x >= t - 172800000 AND x <= t, signal_0_keys, signal_0_times))) >= 2
                AND length(arrayDistinct(arrayFilter((k, x) -> x >= signup_ms AND x >= t - 172800000 AND x <= t, signal_1_keys, signal_1_times))) >= 1
                AND length(arrayDistinct(arrayFilter((k, x) -> x >= signup_ms AND x >= t - 172800000 AND x <= t, signal_2_keys, signal_2_times))) >= 1,
                candidates) AS qualifying,
            if(empty(qualifying), NULL, arrayMin(qualifying)) AS qualified_ms
        FROM (
            SELECT
                distinct_id,
                minIf(ms, event = 'signed_up') AS signup_ms,
                groupArrayIf(ms, event = 'subscription_started') AS payment_times,
                groupArrayIf(ms, event = 'invited_teammate') AS signal_0_times,
                groupArrayIf(key_0, event = 'invited_teammate') AS signal_0_keys,
                groupArrayIf(ms, event = 'saved_workflow') AS signal_1_times,
                groupArrayIf(key_1, event = 'saved_workflow') AS signal_1_keys,
                groupArrayIf(ms, event = 'viewed_pricing') AS signal_2_times,
                groupArrayIf(key_2, event = 'viewed_pricing') AS signal_2_keys
            FROM (
                SELECT
                    distinct_id,
                    event,
                    toUnixTimestamp64Milli(timestamp) AS ms,
                    if(coalesce(toString(properties.invitee_id), '') = '', concat('#', toString(uuid)), concat('=', toString(properties.invitee_id))) AS key_0,
                    concat('#', toString(uuid)) AS key_1,
                    concat('#', toString(uuid)) AS key_2
                FROM events
                WHERE event IN ('signed_up', 'subscription_started', 'invited_teammate', 'saved_workflow', 'viewed_pricing')
            )
            GROUP BY distinct_id
            HAVING countIf(event = 'signed_up') > 0
        )
    )
)
GROUP BY cohort_start_ms
ORDER BY cohort_start_ms;

-- shiploop-nrr
-- shiploop: net revenue retention of the accounts paying at the period's start
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
        argMaxIf(mrr, ms, ms <= 1754006400000) AS start_mrr,
        argMaxIf(mrr, ms, ms <= 1770595200000) AS end_mrr
    FROM (
        SELECT
            if(coalesce(properties.account_id, '') = '', distinct_id, properties.account_id) AS account,
            toUnixTimestamp64Milli(timestamp) AS ms,
            if(event = 'subscription_cancelled', 0, toFloat(properties.mrr)) AS mrr
        FROM events
        WHERE event = 'subscription_cancelled'
            OR (event IN ('subscription_started', 'mrr_changed') AND NOT (coalesce(toFloat(properties.mrr), -1) < 0))
    )
    GROUP BY account
    HAVING start_mrr > 0
);

-- shiploop-experiment-exposures
-- shiploop: users exposed to the experiment's flag, per variant
SELECT variant, count() AS users
FROM (
    SELECT
            distinct_id,
            argMin(toString(properties.$feature_flag_response), timestamp) AS variant,
            min(toUnixTimestamp64Milli(timestamp)) AS exposed_ms
        FROM events
        WHERE event = '$feature_flag_called'
            AND properties.$feature_flag = 'onboarding_three_steps'
            AND toUnixTimestamp64Milli(timestamp) >= 1769990400000 AND toUnixTimestamp64Milli(timestamp) <= 1770595200000
        GROUP BY distinct_id
        HAVING uniqExact(toString(properties.$feature_flag_response)) = 1
)
GROUP BY variant
ORDER BY variant;

-- shiploop-experiment-metric-proportion
-- shiploop: one experiment metric per variant, with pre-period sums for CUPED
SELECT
    variant,
    count() AS n,
    sum(value) AS sum,
    sum(value * value) AS sum_squares,
    sum(pre_value) AS pre_sum,
    sum(pre_value * pre_value) AS pre_sum_squares,
    sum(value * pre_value) AS sum_product_pre
FROM (
    SELECT
        x.variant AS variant,
        arrayFilter((a, t) -> t >= x.exposed_ms AND t <= 1770595200000, m.amounts, m.times) AS after,
        if(length(after) > 0, 1, 0) AS value,
        length(after) AS denominator,
        if(m.pre_count > 0, 1, 0) AS pre_value
    FROM (
        SELECT
            distinct_id,
            argMin(toString(properties.$feature_flag_response), timestamp) AS variant,
            min(toUnixTimestamp64Milli(timestamp)) AS exposed_ms
        FROM events
        WHERE event = '$feature_flag_called'
            AND properties.$feature_flag = 'onboarding_three_steps'
            AND toUnixTimestamp64Milli(timestamp) >= 1769990400000 AND toUnixTimestamp64Milli(timestamp) <= 1770595200000
        GROUP BY distinct_id
        HAVING uniqExact(toString(properties.$feature_flag_response)) = 1
    ) AS x
    LEFT JOIN (
        SELECT
            distinct_id,
            groupArrayIf(amount, ms >= 1769990400000) AS amounts,
            groupArrayIf(ms, ms >= 1769990400000) AS times,
            countIf(ms < 1769990400000) AS pre_count,
            sumIf(amount, ms < 1769990400000) AS pre_amount
        FROM (
            SELECT distinct_id, toUnixTimestamp64Milli(timestamp) AS ms, 1 AS amount
            FROM events
            WHERE event = 'activated' AND toUnixTimestamp64Milli(timestamp) >= 1769385600000 AND toUnixTimestamp64Milli(timestamp) <= 1770595200000
        )
        GROUP BY distinct_id
    ) AS m ON m.distinct_id = x.distinct_id
)
GROUP BY variant
ORDER BY variant;

-- shiploop-experiment-metric-mean
-- shiploop: one experiment metric per variant, with pre-period sums for CUPED
SELECT
    variant,
    count() AS n,
    sum(value) AS sum,
    sum(value * value) AS sum_squares,
    sum(pre_value) AS pre_sum,
    sum(pre_value * pre_value) AS pre_sum_squares,
    sum(value * pre_value) AS sum_product_pre
FROM (
    SELECT
        x.variant AS variant,
        arrayFilter((a, t) -> t >= x.exposed_ms AND t <= 1770595200000, m.amounts, m.times) AS after,
        arraySum(after) AS value,
        length(after) AS denominator,
        m.pre_amount AS pre_value
    FROM (
        SELECT
            distinct_id,
            argMin(toString(properties.$feature_flag_response), timestamp) AS variant,
            min(toUnixTimestamp64Milli(timestamp)) AS exposed_ms
        FROM events
        WHERE event = '$feature_flag_called'
            AND properties.$feature_flag = 'onboarding_three_steps'
            AND toUnixTimestamp64Milli(timestamp) >= 1769990400000 AND toUnixTimestamp64Milli(timestamp) <= 1770595200000
        GROUP BY distinct_id
        HAVING uniqExact(toString(properties.$feature_flag_response)) = 1
    ) AS x
    LEFT JOIN (
        SELECT
            distinct_id,
            groupArrayIf(amount, ms >= 1769990400000) AS amounts,
            groupArrayIf(ms, ms >= 1769990400000) AS times,
            countIf(ms < 1769990400000) AS pre_count,
            sumIf(amount, ms < 1769990400000) AS pre_amount
        FROM (
            SELECT distinct_id, toUnixTimestamp64Milli(timestamp) AS ms, coalesce(toFloat(properties.mrr), 0) AS amount
            FROM events
            WHERE event = 'subscription_started' AND toUnixTimestamp64Milli(timestamp) >= 1769385600000 AND toUnixTimestamp64Milli(timestamp) <= 1770595200000
        )
        GROUP BY distinct_id
    ) AS m ON m.distinct_id = x.distinct_id
)
GROUP BY variant
ORDER BY variant;

-- shiploop-experiment-metric-ratio
-- shiploop: one experiment metric per variant, with pre-period sums for CUPED
SELECT
    variant,
    count() AS n,
    sum(value) AS sum,
    sum(value * value) AS sum_squares,
    sum(denominator) AS denominator_sum,
    sum(denominator * denominator) AS denominator_sum_squares,
    sum(value * denominator) AS sum_product_denominator
FROM (
    SELECT
        x.variant AS variant,
        arrayFilter((a, t) -> t >= x.exposed_ms AND t <= 1770595200000, m.amounts, m.times) AS after,
        arraySum(after) AS value,
        length(after) AS denominator,
        m.pre_amount AS pre_value
    FROM (
        SELECT
            distinct_id,
            argMin(toString(properties.$feature_flag_response), timestamp) AS variant,
            min(toUnixTimestamp64Milli(timestamp)) AS exposed_ms
        FROM events
        WHERE event = '$feature_flag_called'
            AND properties.$feature_flag = 'onboarding_three_steps'
            AND toUnixTimestamp64Milli(timestamp) >= 1769990400000 AND toUnixTimestamp64Milli(timestamp) <= 1770595200000
        GROUP BY distinct_id
        HAVING uniqExact(toString(properties.$feature_flag_response)) = 1
    ) AS x
    LEFT JOIN (
        SELECT
            distinct_id,
            groupArrayIf(amount, ms >= 1769990400000) AS amounts,
            groupArrayIf(ms, ms >= 1769990400000) AS times,
            countIf(ms < 1769990400000) AS pre_count,
            sumIf(amount, ms < 1769990400000) AS pre_amount
        FROM (
            SELECT distinct_id, toUnixTimestamp64Milli(timestamp) AS ms, coalesce(toFloat(properties.`order value`), 0) AS amount
            FROM events
            WHERE event = 'order_placed' AND toUnixTimestamp64Milli(timestamp) >= 1769385600000 AND toUnixTimestamp64Milli(timestamp) <= 1770595200000
        )
        GROUP BY distinct_id
    ) AS m ON m.distinct_id = x.distinct_id
)
GROUP BY variant
ORDER BY variant;
