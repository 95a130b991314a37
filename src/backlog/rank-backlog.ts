import { EQUAL_STAGE_WEIGHTS } from "../diagnose/stage-weights.js";
import type { BacklogItem } from "../domain/backlog-item.js";
import type { FunnelSnapshot } from "../domain/funnel-snapshot.js";
import type { VerdictObservation } from "../domain/verdict-observation.js";
import { computePriors } from "./learn-priors.js";
import { type ScoredItem, scoreBacklog } from "./score-backlog.js";

/**
 * The backlog ranked as the weekly kickoff ranks it: stage weights from the funnel (equal when
 * there is no diagnosis), priors from every verdict so far, and what is live, already ran or is
 * blocked. The worker, `shiploop backlog` and the status page all rank through this.
 */
export function rankBacklog(
  items: readonly BacklogItem[],
  context: {
    /** The funnel's diagnosis: an events file, PostHog, or the demo's simulated product. */
    snapshot: Pick<FunnelSnapshot, "stages" | "stageWeights"> | undefined;
    observations: readonly VerdictObservation[];
    /** κ of the priors; the worker's default unless the demo turns the knob. */
    kappa?: number;
    liveSurfaces: ReadonlySet<string>;
    shippedIds: ReadonlySet<string>;
    blockedIds: ReadonlySet<string>;
  },
): ScoredItem[] {
  const { snapshot, observations, kappa, ...eligibility } = context;
  return scoreBacklog(items, {
    stageWeights: snapshot?.stageWeights ?? { ...EQUAL_STAGE_WEIGHTS },
    ...(snapshot ? { snapshot } : {}),
    priors: computePriors(observations, kappa),
    ...eligibility,
  });
}
