import type { Candidate, Planner } from "../../jobs/cycle-context.js";
import type { FunnelSnapshot } from "../domain/funnel-snapshot.js";
import type { Ledger } from "../ledger/ledger.js";
import { loadRanking } from "./load-ranking.js";

export type FunnelSource = () => Promise<FunnelSnapshot | undefined>;

/**
 * The worker's planner: the backlog as it is on disk now, ranked exactly as `shiploop backlog`
 * and the status page show it, keeping only the items that may ship this week.
 */
export function backlogPlanner(backlogDir: string, ledger: Ledger, funnel: FunnelSource): Planner {
  return {
    async rank() {
      const ranking = await loadRanking(backlogDir, ledger, funnel);
      const candidates: Candidate[] = ranking.items
        .filter((s) => s.eligible)
        .map((s) => ({ item: s.item, score: s.expectedValue, why: s.why }));
      return { candidates, invalidFiles: ranking.invalidFiles };
    },
  };
}
