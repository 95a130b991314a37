import type { FunnelStage } from "./funnel-stage.js";

export type Decision = "ship" | "rollback" | "inconclusive";

/**
 * What one decided experiment taught: the author's estimate next to what was measured.
 * The ledger keeps one per experiment; priors are always recomputed from the whole list,
 * so learning is a pure fold and recording the same verdict twice changes nothing.
 */
export interface VerdictObservation {
  itemId: string;
  stage: FunnelStage;
  surface: string;
  tags: string[];
  /** The author's `impact.relativeLift`. */
  estimatedLift: number;
  /** The author's `impact.confidence`. */
  confidence: number;
  /** Measured relative lift of the primary metric. */
  observedLift: number;
  /** Standard error of the measured relative lift. */
  observedSe: number;
  decision: Decision;
  /** Planned engineer-days. */
  effort: number;
  /** Engineer-days it really took, when the item records it. */
  actualEffort?: number;
  /** ISO time of the verdict. */
  decidedAt: string;
}

/**
 * The port behind which learning is kept: the ledger (Redis) in production. It stores the
 * observations, not the priors: priors are a pure fold over them (`computePriors`), so there is
 * no derived copy that could drift from the verdicts it came from.
 */
export interface ObservationStore {
  /** One observation per item: recording the same verdict twice changes nothing. */
  recordObservation(observation: VerdictObservation): Promise<void>;
  listObservations(): Promise<VerdictObservation[]>;
}
