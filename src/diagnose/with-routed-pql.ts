import type { FunnelSnapshot } from "../domain/funnel-snapshot.js";
import { FUNNEL_STAGES, type FunnelStage } from "../domain/funnel-stage.js";
import type { DiagnoseSettings } from "./diagnose-settings.js";
import { judgeStages } from "./judge-funnel.js";

/** Fewer routed leads than this say too little to replace the events' own PQL reading. */
export const MIN_ROUTED_LEADS = 30;

export interface RoutedLeads {
  /** Subjects the PQL rules qualified. */
  qualified: number;
  /** Of those, subjects who started a subscription after qualifying. */
  converted: number;
}

/**
 * Reads PQL conversion from the leads the PQL rules actually routed instead of re-deriving it
 * from events, so a rule that qualifies people who never buy shows up as a leaking PQL stage
 * and weights next week's scores. Below `MIN_ROUTED_LEADS` the snapshot is returned as it was.
 */
export function withRoutedPql(
  snapshot: FunnelSnapshot,
  leads: RoutedLeads,
  settings: DiagnoseSettings,
): FunnelSnapshot {
  if (leads.qualified < MIN_ROUTED_LEADS) return snapshot;
  const value = (stage: FunnelStage) => snapshot.stages[stage].value;
  const judged = judgeStages(
    {
      ttvMedianMinutes: value("ttv"),
      activationRate: value("activation"),
      pqlConversion: leads.converted / leads.qualified,
      freeToPaid: value("monetization"),
      nrr: value("retention"),
      samples: {
        ...(Object.fromEntries(FUNNEL_STAGES.map((s) => [s, snapshot.stages[s].sample])) as Record<
          FunnelStage,
          number
        >),
        pql: leads.qualified,
      },
    },
    settings,
  );
  return { ...snapshot, ...judged };
}
