import type { NrrReading } from "../domain/funnel-snapshot.js";
import { DAY_MS } from "./cohort-week.js";

/** A change of an account's MRR: the new level (a cancellation sets it to 0). */
export interface MrrPoint {
  time: number;
  mrr: number;
}

/**
 * Net revenue retention over one period ending at `asOf`: the accounts paying at the start
 * (the base), their MRR at the end over their MRR at the start. New accounts never count,
 * which is what separates NRR from growth. An account's MRR at a moment is the last level
 * set at or before it.
 *
 * The period is `nrrDays`, shortened to half of the revenue history when the data is shorter,
 * so that the base has had time to form. The value is then compounded to a year
 * (`value^(365/days)`) to compare with annual benchmarks; the raw value is kept alongside.
 *
 * `accounts` points are sorted in place by time (a stable sort keeps same-time order).
 */
export function computeNrr(
  accounts: Map<string, MrrPoint[]>,
  asOf: number | null,
  nrrDays: number,
): NrrReading {
  let firstRevenue = Number.POSITIVE_INFINITY;
  for (const points of accounts.values()) {
    for (const p of points) if (p.time < firstRevenue) firstRevenue = p.time;
  }
  const period = nrrPeriod(Number.isFinite(firstRevenue) ? firstRevenue : null, asOf, nrrDays);
  if (period.kind === "none") return emptyNrr(period.periodDays);
  const { periodDays, startMs: start, endMs: end } = period;

  let startMrr = 0;
  let endMrr = 0;
  let expansion = 0;
  let contraction = 0;
  let churned = 0;
  let base = 0;
  for (const points of accounts.values()) {
    points.sort((a, b) => a.time - b.time);
    const atStart = levelAt(points, start);
    if (atStart <= 0) continue;
    const atEnd = levelAt(points, end);
    base += 1;
    startMrr += atStart;
    endMrr += atEnd;
    if (atEnd === 0) churned += atStart;
    else if (atEnd > atStart) expansion += atEnd - atStart;
    else contraction += atStart - atEnd;
  }
  const value = base > 0 ? endMrr / startMrr : null;
  return {
    value,
    annualized: value === null ? null : value ** (365 / periodDays),
    periodDays,
    startsAt: new Date(start).toISOString(),
    endsAt: new Date(end).toISOString(),
    accounts: base,
    startMrr,
    endMrr,
    expansion,
    contraction,
    churned,
  };
}

function levelAt(sortedPoints: readonly MrrPoint[], time: number): number {
  let level = 0;
  for (const p of sortedPoints) {
    if (p.time > time) break;
    level = p.mrr;
  }
  return level;
}

export type NrrPeriod =
  | { kind: "none"; periodDays: number }
  | { kind: "measured"; periodDays: number; startMs: number; endMs: number };

/**
 * The window NRR is measured over: `nrrDays` ending at `asOf`, shortened to half the revenue
 * history when that is shorter (so every account had time to be in it at the start).
 */
export function nrrPeriod(
  firstRevenue: number | null,
  asOf: number | null,
  nrrDays: number,
): NrrPeriod {
  if (asOf === null || firstRevenue === null || asOf <= firstRevenue)
    return { kind: "none", periodDays: 0 };
  const periodDays = Math.min(nrrDays, Math.floor((asOf - firstRevenue) / DAY_MS / 2));
  if (periodDays < 1) return { kind: "none", periodDays };
  return { kind: "measured", periodDays, startMs: asOf - periodDays * DAY_MS, endMs: asOf };
}

export function emptyNrr(periodDays: number): NrrReading {
  return {
    value: null,
    annualized: null,
    periodDays,
    startsAt: null,
    endsAt: null,
    accounts: 0,
    startMrr: 0,
    endMrr: 0,
    expansion: 0,
    contraction: 0,
    churned: 0,
  };
}
