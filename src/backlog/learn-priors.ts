import type { GroupPrior, Priors } from "../domain/priors.js";
import type { VerdictObservation } from "../domain/verdict-observation.js";

/**
 * κ, the author's credit in pseudo-verdicts, used while there are too few verdicts to estimate
 * the prior (see `MIN_DEGREES_OF_FREEDOM`) and always for effort. With κ = 3 and verdicts of
 * equal precision, one verdict moves a group a quarter of the way, three verdicts half-way.
 */
export const DEFAULT_KAPPA = 3;

/**
 * Degrees of freedom a variance estimate needs before it replaces κ: with fewer, a method-of-
 * moments variance is mostly noise (its relative sd is about √(2/df), 45 % at 10). So the prior
 * is estimated from the 11th informative verdict on (10 df for the scatter around the mean).
 */
export const MIN_DEGREES_OF_FREEDOM = 10;

/**
 * One verdict as evidence about a delivery ratio: the measured ratio y = o/x (observed lift per
 * unit of the author's expected lift x = relativeLift × confidence) and its sampling variance
 * v = (se/x)², from the experiment's standard error of the observed lift.
 */
interface RatioEvidence {
  ratio: number;
  variance: number;
}

/** Sufficient statistics of one group, before anything is derived from them. */
interface GroupSums {
  verdicts: number;
  wins: number;
  effortVerdicts: number;
  plannedEffort: number;
  actualEffort: number;
  evidence: RatioEvidence[];
}

/** The prior of one kind of group: variances of true delivery ratios. */
interface LiftPrior {
  /** σ²: how far a group's mean delivery ratio sits from 1 (the author is right). */
  between: number;
  /** τ²: how much items of one group scatter around the group's mean. */
  within: number;
}

type Kind = "overall" | "stage" | "surface" | "tag";

const emptySums = (): GroupSums => ({
  verdicts: 0,
  wins: 0,
  effortVerdicts: 0,
  plannedEffort: 0,
  actualEffort: 0,
  evidence: [],
});

/**
 * Learns from every verdict so far, per stage, surface and tag (plus overall, for display).
 *
 * Lift, by empirical Bayes on the delivery ratio (how much of the author's expected lift x
 * the change really delivers). Each verdict measures its item's ratio as y = o/x with sampling
 * variance v = (se/x)². The model has three levels:
 *   y_i = ρ_i + sampling noise (variance v_i);
 *   ρ_i = μ_g + item scatter (variance τ², "within");
 *   μ_g = 1 + the group's departure from the author's word (variance σ², "between").
 * A group's calibration is the posterior mean of μ_g: the precision-weighted mean ratio
 *   r = Σ u_i y_i / Σ u_i,  u_i = 1 / (v_i + τ²)
 * (with τ² = 0 it is the weighted least-squares slope of o on x through the origin, weights
 * 1/se²), shrunk towards 1 by B = σ²U / (σ²U + 1), U = Σ u_i:  calibration = 1 + B·(r − 1).
 *
 * Why: a verdict's worth is its precision, not one vote each. A 7-day test on a low-traffic
 * stage (large se) says little about how well its author estimates; one on a busy stage says a
 * lot. And how hard to shrink is a property of the backlog, not a constant: if groups differ
 * from their authors' numbers by much more than the verdicts' noise, trust the verdicts soon;
 * if the spread of measured ratios is what sampling noise alone would give, stay with the author.
 *
 * σ² and τ² come from the verdicts by the method of moments (DerSimonian–Laird), weights 1/v_i:
 *   total  T = σ² + τ² = max(0, (Σ (y_i − 1)²/v_i − n) / Σ 1/v_i)   (E[(y − 1)²] = v + T);
 *   within τ² = max(0, (Q − df) / Σ_g (W_g − Σ w²/W_g)), Q = Σ_g Σ_i (y_i − ȳ_g)²/v_i, pooled
 *   over the groups of one kind (stages, surfaces or tags), df = Σ_g (k_g − 1);
 *   between σ² = max(0, T − τ²) for that kind.
 * A kind whose groups have too few repeated verdicts for τ² uses the overall pool's τ²: the
 * coarsest grouping, whose scatter also holds the differences between finer groups, so in
 * expectation it is the largest and the error is towards more shrinkage.
 *
 * With fewer than MIN_DEGREES_OF_FREEDOM + 1 informative verdicts the moments are noise, and κ
 * stands in: τ² = 0, σ² = v̄/κ with v̄ the harmonic mean of the verdicts' sampling variances,
 * so the author is worth κ verdicts of typical precision; for the whole pool this is exactly
 * B = k/(k + κ), and a noisier-than-typical verdict counts for less than one.
 *
 * A verdict informs the lift only when x ≠ 0 and its se is positive (a "no result" comparison
 * has se 0 and lift 0: nothing was measured); it still counts for `verdicts` and the win rate.
 *
 * Effort: ratio = Σ actual ÷ Σ planned over verdicts that recorded actual effort, shrunk with
 * κ pseudo-verdicts, m = those verdicts: 1 + m/(m+κ)·(ratio − 1). Effort carries no standard
 * error, so there is no sampling variance to weigh by or to set the spread against.
 * Win rate: share decided "ship".
 *
 * Pure and order-independent: the same observations give the same priors, bit for bit.
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

  // One summation order whatever order the ledger returns: floating-point sums are not associative.
  for (const o of [...observations].sort(canonicalOrder)) {
    const evidence = ratioEvidence(o);
    add(overall, o, evidence);
    add(groupOf(stage, o.stage), o, evidence);
    add(groupOf(surface, o.surface), o, evidence);
    // A tag listed twice on one item is still one verdict for that tag.
    for (const t of new Set(o.tags)) add(groupOf(tag, t), o, evidence);
  }

  const prior = estimateLiftPriors(overall, { stage, surface, tag }, kappa);
  return {
    kappa,
    overall: derive(overall, prior.overall, kappa),
    stage: derivedRecord(stage, prior.stage, kappa) as Priors["stage"],
    surface: derivedRecord(surface, prior.surface, kappa),
    tag: derivedRecord(tag, prior.tag, kappa),
  };
}

/** Priors with no verdicts: every calibration is 1, so scores use the authors' numbers as given. */
export function emptyPriors(kappa: number = DEFAULT_KAPPA): Priors {
  return computePriors([], kappa);
}

/** κ-shrinkage of a ratio towards 1 after `evidence` equal verdicts: 1 + k/(k+κ)·(ratio − 1). */
export function shrinkTowardsOne(ratio: number | null, evidence: number, kappa: number): number {
  if (ratio === null || evidence <= 0) return 1;
  return 1 + (evidence / (evidence + kappa)) * (ratio - 1);
}

function ratioEvidence(o: VerdictObservation): RatioEvidence | undefined {
  const estimated = o.estimatedLift * o.confidence;
  if (estimated === 0 || !(o.observedSe > 0)) return undefined;
  const ratio = o.observedLift / estimated;
  const variance = (o.observedSe / estimated) ** 2;
  if (!Number.isFinite(ratio) || !Number.isFinite(variance) || variance <= 0) return undefined;
  return { ratio, variance };
}

function add(sums: GroupSums, o: VerdictObservation, evidence: RatioEvidence | undefined): void {
  sums.verdicts += 1;
  if (evidence) sums.evidence.push(evidence);
  if (o.decision === "ship") sums.wins += 1;
  if (o.actualEffort !== undefined) {
    sums.effortVerdicts += 1;
    sums.plannedEffort += o.effort;
    sums.actualEffort += o.actualEffort;
  }
}

/** The prior of each kind of group, estimated from the verdicts (or set by κ when too few). */
function estimateLiftPriors(
  overall: GroupSums,
  groups: Record<Exclude<Kind, "overall">, Map<string, GroupSums>>,
  kappa: number,
): Record<Kind, LiftPrior> {
  const pool = overall.evidence;
  const n = pool.length;
  let precision = 0;
  let weightedSquares = 0;
  for (const e of pool) {
    precision += 1 / e.variance;
    weightedSquares += (e.ratio - 1) ** 2 / e.variance;
  }
  if (n - 1 < MIN_DEGREES_OF_FREEDOM) {
    const byKappa = { between: n > 0 ? n / precision / kappa : 0, within: 0 };
    return { overall: byKappa, stage: byKappa, surface: byKappa, tag: byKappa };
  }
  const total = Math.max(0, (weightedSquares - n) / precision);
  const poolWithin = withinVariance([pool]) ?? 0; // n − 1 ≥ MIN_DEGREES_OF_FREEDOM: defined
  const forKind = (kind: Map<string, GroupSums>): LiftPrior => {
    const within =
      withinVariance([...kind.keys()].sort().map((k) => kind.get(k)?.evidence ?? [])) ?? poolWithin;
    return { between: Math.max(0, total - within), within };
  };
  return {
    overall: { between: Math.max(0, total - poolWithin), within: poolWithin },
    stage: forKind(groups.stage),
    surface: forKind(groups.surface),
    tag: forKind(groups.tag),
  };
}

/**
 * DerSimonian–Laird: the scatter of true ratios within groups beyond their sampling noise,
 * pooled over the groups; `undefined` below MIN_DEGREES_OF_FREEDOM.
 */
function withinVariance(groups: readonly (readonly RatioEvidence[])[]): number | undefined {
  let q = 0;
  let df = 0;
  let scale = 0;
  for (const group of groups) {
    if (group.length < 2) continue;
    let w = 0;
    let wy = 0;
    let ww = 0;
    for (const e of group) {
      w += 1 / e.variance;
      wy += e.ratio / e.variance;
      ww += 1 / e.variance ** 2;
    }
    const mean = wy / w;
    for (const e of group) q += (e.ratio - mean) ** 2 / e.variance;
    df += group.length - 1;
    scale += w - ww / w;
  }
  if (df < MIN_DEGREES_OF_FREEDOM || !(scale > 0)) return undefined;
  return Math.max(0, (q - df) / scale);
}

function groupOf(groups: Map<string, GroupSums>, key: string): GroupSums {
  let sums = groups.get(key);
  if (!sums) {
    sums = emptySums();
    groups.set(key, sums);
  }
  return sums;
}

function derivedRecord(
  groups: Map<string, GroupSums>,
  prior: LiftPrior,
  kappa: number,
): Record<string, GroupPrior> {
  // Sorted keys: the same observations in any order serialise to the same JSON. fromEntries
  // defines own properties, so even a tag called `__proto__` stays an ordinary key.
  const keys = [...groups.keys()].sort();
  return Object.fromEntries(
    keys.map((key) => [key, derive(groups.get(key) as GroupSums, prior, kappa)]),
  );
}

function derive(sums: GroupSums, prior: LiftPrior, kappa: number): GroupPrior {
  let weight = 0;
  let weightedRatios = 0;
  for (const e of sums.evidence) {
    const u = 1 / (e.variance + prior.within);
    weight += u;
    weightedRatios += u * e.ratio;
  }
  // With no informative verdict there is no ratio to learn; the group keeps the author's numbers.
  const deliveryRatio = weight > 0 ? weightedRatios / weight : null;
  const shrinkage = (prior.between * weight) / (prior.between * weight + 1);
  const effortRatio =
    sums.effortVerdicts > 0 && sums.plannedEffort > 0
      ? sums.actualEffort / sums.plannedEffort
      : null;
  const { evidence: _evidence, ...counts } = sums;
  return {
    ...counts,
    deliveryRatio,
    liftCalibration: deliveryRatio === null ? 1 : 1 + shrinkage * (deliveryRatio - 1),
    winRate: sums.verdicts > 0 ? sums.wins / sums.verdicts : null,
    effortRatio,
    effortCalibration: shrinkTowardsOne(effortRatio, sums.effortVerdicts, kappa),
  };
}

/** A total order on observations by their contents, so that sums never depend on input order. */
function canonicalOrder(a: VerdictObservation, b: VerdictObservation): number {
  return (
    compareText(a.itemId, b.itemId) ||
    compareText(a.decidedAt, b.decidedAt) ||
    a.estimatedLift - b.estimatedLift ||
    a.confidence - b.confidence ||
    a.observedLift - b.observedLift ||
    a.observedSe - b.observedSe
  );
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
