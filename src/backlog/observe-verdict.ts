import type { BacklogItem } from "../domain/backlog-item.js";
import type { Decision, VerdictObservation } from "../domain/verdict-observation.js";

/**
 * What one verdict teaches: the author's estimate next to the measured lift of the primary
 * metric and its standard error, which sets how much the verdict weighs when priors are
 * learned (`computePriors`). The learn job and the demo both record exactly this.
 */
export function observeVerdict(
  item: BacklogItem,
  primary: { relativeLift: number; se: number },
  decision: Decision,
  decidedAt: string,
): VerdictObservation {
  return {
    itemId: item.id,
    stage: item.stage,
    surface: item.surface,
    tags: item.tags,
    estimatedLift: item.impact.relativeLift,
    confidence: item.impact.confidence,
    observedLift: primary.relativeLift,
    observedSe: primary.se,
    decision,
    effort: item.effort,
    ...(item.actualEffort !== undefined ? { actualEffort: item.actualEffort } : {}),
    decidedAt,
  };
}
