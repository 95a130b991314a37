import type { GroupPrior, Priors } from "../domain/priors.js";
import type { VerdictObservation } from "../domain/verdict-observation.js";

/**
 * κ, the author's credit in pseudo-verdicts. After k verdicts the data gets weight k/(k+κ):
 * with κ = 3, one verdict moves a group a quarter of the way, three verdicts half-way, and
 * twelve verdicts 80 %. Small on purpose: a weekly loop sees a few dozen verdicts a year.
 */
export const DEFAULT_KAPPA = 3;

/** Sufficient statistics of one group, before anything is derived from them. */
interface GroupSums {
  verdicts: number;
  sumEstimatedSquared: number;
  sumEstimatedObserved: number;
  wins: number;
  effortVerdicts: number;
  plannedEffort: number;
  actualEffort: number;
}

const emptySums = (): GroupSums => ({
  verdicts: 0,
  sumEstimatedSquared: 0,
  sumEstimatedObserved: 0,
  wins: 0,
  effortVerdicts: 0,
  plannedEffort: 0,
  actualEffort: 0,
});

/**
 * Learns from every verdict so far, per stage, surface and tag (plus overall, for display).
 *
 * Lift: the estimate x = relativeLift × confidence is what the author expected; the observed
 * lift o is what the experiment measured. The delivery ratio is the least-squares slope of o on
 * x through the origin, r = Σxo / Σx² ("each promised point of lift delivered r points"). It
 * weighs big promises most, which is where the ratio is best measured, and it copes with
 * negative estimates. Empirical Bayes shrinks r towards 1 (the author is right) with κ
 * pseudo-verdicts: calibration = (κ·1 + k·r) / (κ + k) = 1 + k/(k+κ)·(r − 1).
 * An author who always doubles the truth has r = 0.5, so the calibration tends to ½.
 *
 * Effort: ratio = Σ actual ÷ Σ planned over verdicts that recorded actual effort, shrunk the same
 * way with m = those verdicts. Win rate: share decided "ship".
 *
 * Pure and order-independent: the same observations give the same priors.
 */
export function computePriors(
  observations: readonly VerdictObservation[],
  kappa: number = DEFAULT_KAPPA,
): Priors {
  if (!(kappa > 0)) throw new RangeError(`kappa must be positive, got ${kappa}`);
  const overall = emptySums();
  const stage = new Map<string, GroupSums>();
  const surface = new Map<string, GroupSums>();
  const tag = new Map<string, GroupSums>();

  for (const o of observations) {
    add(overall, o);
    add(groupOf(stage, o.stage), o);
    add(groupOf(surface, o.surface), o);
    // A tag listed twice on one item is still one verdict for that tag.
    for (const t of new Set(o.tags)) add(groupOf(tag, t), o);
  }

  return {
    kappa,
    overall: derive(overall, kappa),
    stage: derivedRecord(stage, kappa) as Priors["stage"],
    surface: derivedRecord(surface, kappa),
    tag: derivedRecord(tag, kappa),
  };
}

/** Priors with no verdicts: every calibration is 1, so scores use the authors' numbers as given. */
export function emptyPriors(kappa: number = DEFAULT_KAPPA): Priors {
  return computePriors([], kappa);
}

/** The closed form, exported so tests and explanations use the same arithmetic. */
export function shrinkTowardsOne(ratio: number | null, evidence: number, kappa: number): number {
  if (ratio === null || evidence <= 0) return 1;
  return 1 + (evidence / (evidence + kappa)) * (ratio - 1);
}

function add(sums: GroupSums, o: VerdictObservation): void {
  const estimated = o.estimatedLift * o.confidence;
  sums.verdicts += 1;
  sums.sumEstimatedSquared += estimated * estimated;
  sums.sumEstimatedObserved += estimated * o.observedLift;
  if (o.decision === "ship") sums.wins += 1;
  if (o.actualEffort !== undefined) {
    sums.effortVerdicts += 1;
    sums.plannedEffort += o.effort;
    sums.actualEffort += o.actualEffort;
  }
}

function groupOf(groups: Map<string, GroupSums>, key: string): GroupSums {
  let sums = groups.get(key);
  if (!sums) {
    sums = emptySums();
    groups.set(key, sums);
  }
  return sums;
}

function derivedRecord(groups: Map<string, GroupSums>, kappa: number): Record<string, GroupPrior> {
  // Sorted keys: the same observations in any order serialise to the same JSON. fromEntries
  // defines own properties, so even a tag called `__proto__` stays an ordinary key.
  const keys = [...groups.keys()].sort();
  return Object.fromEntries(keys.map((key) => [key, derive(groups.get(key) as GroupSums, kappa)]));
}

function derive(sums: GroupSums, kappa: number): GroupPrior {
  // With every estimate zero there is no slope to learn; such verdicts do not count as evidence.
  const deliveryRatio =
    sums.sumEstimatedSquared > 0 ? sums.sumEstimatedObserved / sums.sumEstimatedSquared : null;
  const effortRatio =
    sums.effortVerdicts > 0 && sums.plannedEffort > 0
      ? sums.actualEffort / sums.plannedEffort
      : null;
  return {
    ...sums,
    deliveryRatio,
    liftCalibration: shrinkTowardsOne(deliveryRatio, sums.verdicts, kappa),
    winRate: sums.verdicts > 0 ? sums.wins / sums.verdicts : null,
    effortRatio,
    effortCalibration: shrinkTowardsOne(effortRatio, sums.effortVerdicts, kappa),
  };
}
