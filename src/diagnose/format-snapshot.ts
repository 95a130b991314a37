import type { CohortMetrics, FunnelSnapshot, StageReading } from "../domain/funnel-snapshot.js";
import { FUNNEL_STAGES, STAGE_LABELS } from "../domain/funnel-stage.js";
import { formatNumber, percent } from "./stage-readings.js";

/** The diagnosis as plain text for a terminal: stages first, then the trend, then every cohort. */
export function formatSnapshot(s: FunnelSnapshot): string {
  const out: string[] = [];
  const asOf = s.asOf ? s.asOf.slice(0, 10) : "no events";
  out.push(
    `Funnel as of ${asOf} (${s.model}; activation within ${s.activationDays} days, ` +
      `paying within ${s.conversionDays} days of signup)`,
  );
  out.push(eventsLine(s), "");

  out.push(row(["stage", "value", "benchmark", "gap", "weight", "sample"], STAGE_WIDTHS));
  for (const stage of FUNNEL_STAGES) {
    const r = s.stages[stage];
    out.push(
      row(
        [
          STAGE_LABELS[stage],
          valueText(r),
          r.benchmarkText,
          r.gap === null ? "–" : percent(r.gap),
          s.stageWeights[stage].toFixed(2),
          String(r.sample),
        ],
        STAGE_WIDTHS,
      ),
    );
  }
  out.push("");
  out.push(
    s.weakestStage
      ? `Weakest stage: ${s.stages[s.weakestStage].summary}.`
      : "Weakest stage: none; every measured stage meets its benchmark.",
  );
  out.push(trendLine(s));
  out.push(nrrLine(s), "");

  out.push(
    row(
      [
        "cohort",
        "signups",
        "activated",
        "TTV p50",
        "TTV p75",
        "PQLs",
        "PQL→paid",
        "paid",
        "free→paid",
      ],
      COHORT_WIDTHS,
    ),
  );
  for (const c of s.cohorts) out.push(cohortRow(c));
  if (s.cohorts.some((c) => !c.activationComplete || !c.conversionComplete)) {
    out.push("* still inside its activation or conversion window: left out of the headline values");
  }
  return `${out.join("\n")}\n`;
}

const STAGE_WIDTHS = [24, 16, 18, 7, 7, 7];
const COHORT_WIDTHS = [11, 8, 10, 8, 8, 6, 9, 6, 9];

function row(cells: string[], widths: number[]): string {
  return cells
    .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
    .join(" ")
    .trimEnd();
}

function valueText(r: StageReading): string {
  if (r.value === null) return "not measured";
  return r.unit === "minutes" ? `${formatNumber(r.value)} min` : percent(r.value);
}

function eventsLine(s: FunnelSnapshot): string {
  const e = s.events;
  const reasons = Object.entries(e.badByReason)
    .map(([reason, n]) => `${reason} ${n}`)
    .join(", ");
  return (
    `${e.read} events read: ${e.used} used, ${e.ignored} not used by any metric, ${e.bad} bad` +
    (reasons ? ` (${reasons})` : "") +
    `; ${e.usersWithoutSignup} users without a signup event`
  );
}

function trendLine(s: FunnelSnapshot): string {
  const t = s.activationTrend;
  if (!t.first || !t.last || t.cohorts < 2 || t.slopePerCohort === null) {
    return "Activation trend: fewer than two complete cohorts.";
  }
  const pts = formatNumber(t.slopePerCohort * 100);
  return (
    `Activation trend: ${percent(t.first.rate)} (${t.first.cohort}) → ${percent(t.last.rate)} ` +
    `(${t.last.cohort}) over ${t.cohorts} cohorts, ${pts} pts per week`
  );
}

function nrrLine(s: FunnelSnapshot): string {
  const n = s.nrr;
  if (n.value === null || n.annualized === null)
    return "NRR: no paying accounts at the start of a period.";
  return (
    `NRR: ${percent(n.value)} over ${n.periodDays} days (${percent(n.annualized)} a year) across ` +
    `${n.accounts} accounts: MRR ${Math.round(n.startMrr)} → ${Math.round(n.endMrr)}, ` +
    `+${Math.round(n.expansion)} expansion, −${Math.round(n.contraction)} contraction, −${Math.round(n.churned)} churn`
  );
}

function cohortRow(c: CohortMetrics): string {
  const pct = (x: number | null) => (x === null ? "–" : percent(x));
  const min = (x: number | null) => (x === null ? "–" : `${formatNumber(x)}m`);
  const open = !c.activationComplete || !c.conversionComplete;
  return row(
    [
      `${c.cohort}${open ? "*" : ""}`,
      String(c.signups),
      pct(c.activationRate),
      min(c.ttvMedianMinutes),
      min(c.ttvP75Minutes),
      String(c.pqls),
      pct(c.pqlConversion),
      String(c.paid),
      pct(c.freeToPaid),
    ],
    COHORT_WIDTHS,
  );
}
