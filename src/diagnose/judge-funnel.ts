import type { CohortMetrics, FunnelSnapshot } from "../domain/funnel-snapshot.js";
import { FUNNEL_STAGES, type FunnelStage } from "../domain/funnel-stage.js";
import type { DiagnoseSettings } from "./diagnose-settings.js";
import { type Headlines, readStages } from "./stage-readings.js";
import { stageWeightsFromGaps, weakestStage } from "./stage-weights.js";

/**
 * The headline value of each stage, pooled over the most recent complete cohorts. Shared by
 * every funnel source (events file, PostHog) so they cannot drift apart.
 */
export function poolHeadlines(input: {
  recentActivation: readonly CohortMetrics[];
  recentConversion: readonly CohortMetrics[];
  ttv: { medianMinutes: number | null; sample: number };
  nrr: { annualized: number | null; accounts: number };
}): Headlines {
  const { recentActivation, recentConversion } = input;
  const sum = (list: readonly CohortMetrics[], pick: (m: CohortMetrics) => number) =>
    list.reduce((acc, m) => acc + pick(m), 0);
  const share = (num: number, den: number) => (den > 0 ? num / den : null);
  return {
    ttvMedianMinutes: input.ttv.medianMinutes,
    activationRate: share(
      sum(recentActivation, (m) => m.activated),
      sum(recentActivation, (m) => m.signups),
    ),
    pqlConversion: share(
      sum(recentConversion, (m) => m.pqlsConverted),
      sum(recentConversion, (m) => m.pqls),
    ),
    freeToPaid: share(
      sum(recentConversion, (m) => m.paid),
      sum(recentConversion, (m) => m.signups),
    ),
    nrr: input.nrr.annualized,
    samples: {
      ttv: input.ttv.sample,
      activation: sum(recentActivation, (m) => m.signups),
      pql: sum(recentConversion, (m) => m.pqls),
      monetization: sum(recentConversion, (m) => m.signups),
      retention: input.nrr.accounts,
    },
  };
}

/** Each stage against its benchmark, the weakest one, and the stage weights scoring uses. */
export function judgeStages(
  headlines: Headlines,
  s: DiagnoseSettings,
): Pick<FunnelSnapshot, "stages" | "weakestStage" | "stageWeights"> {
  const stages = readStages(headlines, s);
  const gaps = Object.fromEntries(FUNNEL_STAGES.map((st) => [st, stages[st].gap])) as Record<
    FunnelStage,
    number | null
  >;
  return {
    stages,
    weakestStage: weakestStage(gaps),
    stageWeights: stageWeightsFromGaps(gaps, s.weightFloor),
  };
}
