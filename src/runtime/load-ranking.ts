import { readBacklogDir } from "../adapters/files/read-backlog-dir.js";
import { rankBacklog } from "../backlog/rank-backlog.js";
import type { ScoredItem } from "../backlog/score-backlog.js";
import { validateBacklog } from "../backlog/validate-backlog.js";
import type { Ledger } from "../ledger/ledger.js";
import type { FunnelSource } from "./backlog-planner.js";
import { eligibilityFromLedger } from "./eligibility.js";

export interface Ranking {
  items: ScoredItem[];
  /** Backlog files that failed validation and were left out. */
  invalidFiles: number;
  /** Where the stage weights came from, in words. */
  weights: string;
}

/**
 * The backlog ranked the way the next kickoff would rank it: the files on disk now, the
 * priors from every verdict, the ledger's live / shipped / blocked state, and the funnel's
 * stage weights when a funnel source is given (equal weights otherwise).
 */
export async function loadRanking(
  backlogDir: string,
  ledger: Ledger,
  funnel?: FunnelSource,
): Promise<Ranking> {
  const backlog = validateBacklog(await readBacklogDir(backlogDir));
  const [snapshot, observations, eligibility] = await Promise.all([
    funnel ? funnel() : undefined,
    ledger.listObservations(),
    eligibilityFromLedger(ledger, backlog.items),
  ]);
  const items = rankBacklog(backlog.items, { snapshot, observations, ...eligibility });
  return {
    items,
    invalidFiles: new Set(backlog.errors.map((e) => e.file)).size,
    weights: snapshot
      ? `stage weights from the funnel${snapshot.weakestStage ? ` (weakest stage: ${snapshot.weakestStage})` : ""}`
      : "all stages weighted 1 (no funnel source configured)",
  };
}
