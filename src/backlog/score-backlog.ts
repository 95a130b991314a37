import type { BacklogItem } from "../domain/backlog-item.js";
import type { FunnelSnapshot } from "../domain/funnel-snapshot.js";
import type { FunnelStage } from "../domain/funnel-stage.js";
import type { Priors } from "../domain/priors.js";
import { calibrateItem, type EvidenceGroup, type ItemCalibration } from "./calibrate-item.js";

export interface ScoreContext {
  /** Mean 1 across stages; from `FunnelSnapshot.stageWeights`, or `EQUAL_STAGE_WEIGHTS`. */
  stageWeights: Record<FunnelStage, number>;
  /** The diagnosis the weights came from: the why line quotes the item's stage reading. */
  snapshot?: Pick<FunnelSnapshot, "stages">;
  priors: Priors;
  /** Surfaces that already have a live experiment: at most one per surface. */
  liveSurfaces: ReadonlySet<string>;
  /** Items that already ran (whatever their verdict): never picked twice. */
  shippedIds: ReadonlySet<string>;
  blockedIds: ReadonlySet<string>;
}

/** Every number that went into an item's score, so that nobody has to trust a black box. */
export interface ScoreFactors {
  relativeLift: number;
  confidence: number;
  /** relativeLift × confidence: the author's expected lift. */
  authorLift: number;
  /** Multiplier learned from past verdicts of the item's stage, surface and tags (1 = none). */
  liftCalibration: number;
  /** Verdicts behind `liftCalibration`. */
  liftEvidence: number;
  /** authorLift × liftCalibration. */
  calibratedLift: number;
  stageWeight: number;
  reach: number;
  effort: number;
  /** Multiplier on effort learned from verdicts that recorded actual effort (1 = none). */
  effortCalibration: number;
  /** effort × effortCalibration, in engineer-days. */
  calibratedEffort: number;
}

export type IneligibleReason = "shipped" | "blocked" | "surface-live";

export interface ScoredItem {
  item: BacklogItem;
  id: string;
  stage: FunnelStage;
  surface: string;
  eligible: boolean;
  ineligible?: IneligibleReason;
  /** 1 = pick this week; `null` for ineligible items. */
  rank: number | null;
  /** calibratedLift × stageWeight × reach ÷ calibratedEffort: weighted lift per engineer-day. */
  expectedValue: number;
  factors: ScoreFactors;
  /** One line: why this item scores as it does (or why it cannot be picked). */
  why: string;
}

/**
 * Scores and ranks the backlog, best first. Eligible items come first, ranked by expected value;
 * ties go to the smaller effort, then to the id in code-point order, so the same input always
 * gives the same order. Ineligible items follow in the same order, with the reason.
 */
export function scoreBacklog(items: readonly BacklogItem[], ctx: ScoreContext): ScoredItem[] {
  const scored = items.map((item) => scoreItem(item, ctx));
  scored.sort(compareScored);
  let rank = 0;
  for (const s of scored) s.rank = s.eligible ? ++rank : null;
  return scored;
}

function scoreItem(item: BacklogItem, ctx: ScoreContext): ScoredItem {
  const calibration = calibrateItem(item, ctx.priors);
  const authorLift = item.impact.relativeLift * item.impact.confidence;
  const calibratedLift = authorLift * calibration.lift;
  const stageWeight = ctx.stageWeights[item.stage];
  const calibratedEffort = item.effort * calibration.effort;
  const factors: ScoreFactors = {
    relativeLift: item.impact.relativeLift,
    confidence: item.impact.confidence,
    authorLift,
    liftCalibration: calibration.lift,
    liftEvidence: calibration.liftEvidence,
    calibratedLift,
    stageWeight,
    reach: item.reach,
    effort: item.effort,
    effortCalibration: calibration.effort,
    calibratedEffort,
  };
  const expectedValue = (calibratedLift * stageWeight * item.reach) / calibratedEffort;
  const ineligible = ineligibility(item, ctx);
  const why = ineligible
    ? ineligibleText(item, ineligible)
    : explain(item, factors, calibration, ctx.snapshot);
  return {
    item,
    id: item.id,
    stage: item.stage,
    surface: item.surface,
    eligible: ineligible === undefined,
    ...(ineligible ? { ineligible } : {}),
    rank: null,
    expectedValue,
    factors,
    why,
  };
}

function ineligibility(item: BacklogItem, ctx: ScoreContext): IneligibleReason | undefined {
  if (ctx.shippedIds.has(item.id)) return "shipped";
  if (ctx.blockedIds.has(item.id)) return "blocked";
  if (ctx.liveSurfaces.has(item.surface)) return "surface-live";
  return undefined;
}

function ineligibleText(item: BacklogItem, reason: IneligibleReason): string {
  switch (reason) {
    case "shipped":
      return "not eligible: it already ran in an earlier week";
    case "blocked":
      return "not eligible: blocked until the problem that stopped it is fixed";
    case "surface-live":
      return `not eligible: surface ${item.surface} already has a live experiment`;
  }
}

function compareScored(a: ScoredItem, b: ScoredItem): number {
  if (a.eligible !== b.eligible) return a.eligible ? -1 : 1;
  if (a.expectedValue !== b.expectedValue) return b.expectedValue - a.expectedValue;
  if (a.factors.calibratedEffort !== b.factors.calibratedEffort) {
    return a.factors.calibratedEffort - b.factors.calibratedEffort;
  }
  // Code-point order, not localeCompare: identical on every machine and locale.
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

const STAGE_NOUN: Record<FunnelStage, string> = {
  ttv: "time-to-value",
  activation: "activation",
  pql: "PQL",
  monetization: "monetization",
  retention: "retention",
};

/** "activation rate is 12 pts under benchmark (28 % vs 40 %), weight 2.10; onboarding changes delivered 40 % …" */
function explain(
  item: BacklogItem,
  f: ScoreFactors,
  calibration: ItemCalibration,
  snapshot: Pick<FunnelSnapshot, "stages"> | undefined,
): string {
  const weight = f.stageWeight.toFixed(2);
  const stagePart = snapshot
    ? `${snapshot.stages[item.stage].summary}, weight ${weight}`
    : `${STAGE_NOUN[item.stage]} weight ${weight} (no funnel diagnosis)`;
  const parts = [stagePart, liftPart(item, calibration)];
  if (calibration.effortEvidence > 0 && Math.abs(calibration.effort - 1) >= 0.005) {
    parts.push(`effort counted at ${calibration.effort.toFixed(2)}× plan`);
  }
  if (f.reach < 1) parts.push(`reaches ${percent(f.reach)} of the stage`);
  return parts.join("; ");
}

function liftPart(item: BacklogItem, calibration: ItemCalibration): string {
  const group = calibration.strongest;
  if (!group || group.prior.deliveryRatio === null) {
    return `no past verdicts for ${STAGE_NOUN[item.stage]}/${item.surface}${item.tags.length ? `/${item.tags.join(",")}` : ""}: author's estimate used as is`;
  }
  const k = group.prior.verdicts;
  return (
    `${groupLabel(group)} delivered ${percent(group.prior.deliveryRatio)} of their estimate ` +
    `over ${k} verdict${k === 1 ? "" : "s"} (lift ${formatTimes(calibration.lift)})`
  );
}

function groupLabel(group: EvidenceGroup): string {
  if (group.kind === "stage") return `${STAGE_NOUN[group.name as FunnelStage]} changes`;
  if (group.kind === "surface") return `${group.name} changes`;
  return `changes tagged ${group.name}`;
}

const percent = (x: number) => `${Math.round(x * 100)} %`;
const formatTimes = (x: number) => `× ${x.toFixed(2)}`;
