import { FUNNEL_STAGES, type FunnelStage } from "../domain/funnel-stage.js";

/** Every stage weighs the same: what scoring uses when there is no funnel diagnosis. */
export const EQUAL_STAGE_WEIGHTS: Readonly<Record<FunnelStage, number>> = Object.freeze({
  ttv: 1,
  activation: 1,
  pql: 1,
  monetization: 1,
  retention: 1,
});

/**
 * Turns stage gaps into scoring weights with mean 1:
 *
 *   w_s = (g_s + f) / mean_t (g_t + f)
 *
 * where g is the relative gap (0 … 1) and f the floor (default 0.1). The leakiest stage weighs
 * most, in proportion to how much it leaks; f keeps healthy stages above zero; mean 1 keeps
 * expected values on the same scale from week to week. Example, f = 0.1, gaps
 * (0, 0.5, 0, 0, 0): numerators (0.1, 0.6, 0.1, 0.1, 0.1), mean 0.2 → weights (0.5, 3, 0.5, 0.5, 0.5).
 *
 * An unmeasured stage (gap `null`) gets the mean of the measured gaps, which works out to a
 * weight of exactly 1: neither favoured nor starved for lack of data. With nothing measured,
 * or f = 0 and no gap anywhere, all weights are 1.
 */
export function stageWeightsFromGaps(
  gaps: Record<FunnelStage, number | null>,
  floor: number,
): Record<FunnelStage, number> {
  const known = FUNNEL_STAGES.map((s) => gaps[s]).filter((g): g is number => g !== null);
  if (known.length === 0) return { ...EQUAL_STAGE_WEIGHTS };
  const fill = known.reduce((a, b) => a + b, 0) / known.length;
  const raw = FUNNEL_STAGES.map((s) => (gaps[s] ?? fill) + floor);
  const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
  if (mean === 0) return { ...EQUAL_STAGE_WEIGHTS };
  const out = {} as Record<FunnelStage, number>;
  FUNNEL_STAGES.forEach((s, i) => {
    out[s] = (raw[i] as number) / mean;
  });
  return out;
}

/** The stage with the largest positive gap; on a tie the earlier funnel stage (it feeds the rest). */
export function weakestStage(gaps: Record<FunnelStage, number | null>): FunnelStage | null {
  let best: FunnelStage | null = null;
  let bestGap = 0;
  for (const stage of FUNNEL_STAGES) {
    const gap = gaps[stage];
    if (gap !== null && gap > bestGap) {
      best = stage;
      bestGap = gap;
    }
  }
  return best;
}
