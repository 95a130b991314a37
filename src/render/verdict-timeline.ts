import type { ExperimentRecord } from "../domain/experiment.js";
import { type Outcome, outcomeOf } from "./verdict-facts.js";

export interface TimelinePoint {
  experimentId: string;
  week: string;
  itemId: string;
  title: string;
  outcome: Outcome;
  /** Measured relative lift of the item's primary metric. */
  lift: number;
  ci: [number, number];
  /**
   * Lift of everything shipped so far, compounded: ∏(1 + lift of each shipped change) − 1.
   * Changes that were rolled back or left inconclusive add nothing.
   */
  cumulative: number;
  decidedAt: string;
}

/** Decided experiments by week (then time of the verdict), each with the cumulative measured lift of what shipped. */
export function verdictTimeline(experiments: readonly ExperimentRecord[]): TimelinePoint[] {
  const decided = experiments
    .filter((e): e is ExperimentRecord & { verdict: NonNullable<ExperimentRecord["verdict"]> } =>
      Boolean(e.verdict),
    )
    .sort(
      (a, b) =>
        a.week.localeCompare(b.week) ||
        a.verdict.decidedAt.localeCompare(b.verdict.decidedAt) ||
        a.id.localeCompare(b.id),
    );
  let growth = 1;
  return decided.map((e) => {
    const outcome = outcomeOf(e.verdict);
    if (outcome === "ship") growth *= 1 + e.verdict.primary.relativeLift;
    return {
      experimentId: e.id,
      week: e.week,
      itemId: e.itemId,
      title: e.item.title,
      outcome,
      lift: e.verdict.primary.relativeLift,
      ci: e.verdict.primary.ci,
      cumulative: growth - 1,
      decidedAt: e.verdict.decidedAt,
    };
  });
}
