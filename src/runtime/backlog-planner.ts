import type { Candidate, Planner } from "../../jobs/cycle-context.js";
import { readBacklogDir } from "../adapters/files/read-backlog-dir.js";
import { computePriors } from "../backlog/learn-priors.js";
import { scoreBacklog } from "../backlog/score-backlog.js";
import { validateBacklog } from "../backlog/validate-backlog.js";
import { EQUAL_STAGE_WEIGHTS } from "../diagnose/stage-weights.js";
import type { FunnelSnapshot } from "../domain/funnel-snapshot.js";
import type { Ledger } from "../ledger/ledger.js";
import { eligibilityFromLedger } from "./eligibility.js";

export type FunnelSource = () => Promise<FunnelSnapshot | undefined>;

/**
 * The worker's planner: the backlog as it is on disk now, weighted by where the funnel leaks
 * (equal weights when no events source is configured), calibrated by every verdict so far,
 * and filtered by what the ledger says is live, shipped or blocked.
 */
export function backlogPlanner(backlogDir: string, ledger: Ledger, funnel: FunnelSource): Planner {
  return {
    async rank() {
      const backlog = validateBacklog(await readBacklogDir(backlogDir));
      const [snapshot, observations, eligibility] = await Promise.all([
        funnel(),
        ledger.listObservations(),
        eligibilityFromLedger(ledger, backlog.items),
      ]);
      const scored = scoreBacklog(backlog.items, {
        stageWeights: snapshot?.stageWeights ?? { ...EQUAL_STAGE_WEIGHTS },
        ...(snapshot ? { snapshot } : {}),
        priors: computePriors(observations),
        ...eligibility,
      });
      const candidates: Candidate[] = scored
        .filter((s) => s.eligible)
        .map((s) => ({ item: s.item, score: s.expectedValue, why: s.why }));
      return { candidates, invalidFiles: new Set(backlog.errors.map((e) => e.file)).size };
    },
  };
}
