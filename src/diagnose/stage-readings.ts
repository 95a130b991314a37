import type { StageReading } from "../domain/funnel-snapshot.js";
import { FUNNEL_STAGES, type FunnelStage, STAGE_LABELS } from "../domain/funnel-stage.js";
import type { DiagnoseSettings } from "./diagnose-settings.js";

/** The headline value of each stage, `null` where nothing could be measured. */
export interface Headlines {
  ttvMedianMinutes: number | null;
  activationRate: number | null;
  pqlConversion: number | null;
  freeToPaid: number | null;
  /** Annualised NRR. */
  nrr: number | null;
  samples: Record<FunnelStage, number>;
}

/**
 * Judges each stage against its benchmark. The gap is the relative shortfall, 0 … 1, so that
 * minutes and percentages compare:
 * - higher is better (rates, NRR): gap = max(0, (benchmark − value) / benchmark);
 *   activation 28 % against 40 % is a gap of 0.30;
 * - lower is better (time to value): gap = max(0, 1 − benchmark / value);
 *   a 20-minute median against 10 minutes is a gap of 0.5 (half the time must go).
 */
export function readStages(h: Headlines, s: DiagnoseSettings): Record<FunnelStage, StageReading> {
  const b = s.benchmarks;
  const [paidLow, paidHigh] = b.freeToPaid[s.model];
  const [nrrLow, nrrHigh] = b.nrr;
  const specs: Record<FunnelStage, Omit<StageReading, "gap" | "summary" | "stage" | "label">> = {
    ttv: {
      value: h.ttvMedianMinutes,
      unit: "minutes",
      higherIsBetter: false,
      benchmark: b.ttvMinutes,
      benchmarkText: `≤ ${formatNumber(b.ttvMinutes)} min`,
      sample: h.samples.ttv,
    },
    activation: ratio(
      h.activationRate,
      b.activationRate,
      percent(b.activationRate),
      h.samples.activation,
    ),
    pql: ratio(h.pqlConversion, b.pqlConversion, percent(b.pqlConversion), h.samples.pql),
    monetization: ratio(
      h.freeToPaid,
      paidLow,
      `${percentRange(paidLow, paidHigh)} ${s.model}`,
      h.samples.monetization,
    ),
    retention: ratio(h.nrr, nrrLow, percentRange(nrrLow, nrrHigh), h.samples.retention),
  };
  const out = {} as Record<FunnelStage, StageReading>;
  for (const stage of FUNNEL_STAGES) {
    const spec = specs[stage];
    const gap = gapOf(spec.value, spec.benchmark, spec.higherIsBetter);
    const reading = { stage, label: STAGE_LABELS[stage], ...spec, gap };
    out[stage] = { ...reading, summary: summarize(reading) };
  }
  return out;
}

export function gapOf(
  value: number | null,
  benchmark: number,
  higherIsBetter: boolean,
): number | null {
  if (value === null) return null;
  if (higherIsBetter) return Math.max(0, (benchmark - value) / benchmark);
  return value > 0 ? Math.max(0, 1 - benchmark / value) : 0;
}

function ratio(value: number | null, benchmark: number, benchmarkText: string, sample: number) {
  return { value, unit: "ratio" as const, higherIsBetter: true, benchmark, benchmarkText, sample };
}

function summarize(r: Omit<StageReading, "summary">): string {
  if (r.value === null || r.gap === null)
    return `${r.label} not measured (no complete cohort or base)`;
  if (r.unit === "minutes") {
    const shown = `median ${formatNumber(r.value)} min vs ${r.benchmarkText}`;
    if (r.gap === 0) return `${r.label} meets its benchmark (${shown})`;
    return `${r.label} is ${formatNumber(r.value - r.benchmark)} min over benchmark (${shown})`;
  }
  const shown = `${percent(r.value)} vs ${r.benchmarkText}`;
  if (r.gap === 0) return `${r.label} meets its benchmark (${shown})`;
  const points = formatNumber((r.benchmark - r.value) * 100);
  return `${r.label} is ${points} ${points === "1" ? "pt" : "pts"} under benchmark (${shown})`;
}

/**
 * 120.4 → "120", 19.64 → "19.6", 12 → "12", 0.043 → "0.04": enough digits that a value and
 * its gap add up on screen (19.6 % is 5.4 pts under 25 %), never a wall of them.
 */
export function formatNumber(x: number): string {
  const abs = Math.abs(x);
  if (abs >= 100) return String(Math.round(x));
  if (abs >= 1) return String(Math.round(x * 10) / 10);
  return String(Math.round(x * 100) / 100);
}

export const percent = (x: number): string => `${formatNumber(x * 100)} %`;
const percentRange = (low: number, high: number): string =>
  `${formatNumber(low * 100)}–${formatNumber(high * 100)} %`;
