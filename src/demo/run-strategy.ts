import { ALPHA, judge } from "../../jobs/judge.js";
import { DAILY_CHECKS } from "../../jobs/start-measuring.js";
import type { ProductSettings } from "../adapters/sandbox/simulated-product.js";
import { SimulatedProduct, trueGain } from "../adapters/sandbox/simulated-product.js";
import { observeVerdict } from "../backlog/observe-verdict.js";
import type { BacklogItem } from "../domain/backlog-item.js";
import { type ExperimentRecord, experimentIdFor } from "../domain/experiment.js";
import { isoWeekOf } from "../domain/iso-week.js";
import type { Measurement } from "../domain/measurement.js";
import type { Decision, VerdictObservation } from "../domain/verdict-observation.js";
import { checkEarlyRollback, decideVerdict } from "../stats/index.js";
import type { Strategy, StrategyName } from "./strategies.js";

/** Monday 00:00 UTC of the demo's first week: the virtual clock starts here, never at "now". */
export const DEMO_EPOCH = Date.UTC(2026, 0, 5);
const WEEK_MS = 7 * 86_400_000;

export interface WeekRow {
  /** 1-based week of the run. */
  week: number;
  /** ISO week on the virtual clock, e.g. `2026-W02`. */
  isoWeek: string;
  itemId: string | null;
  stage: BacklogItem["stage"] | null;
  surface: string | null;
  /** The item's true relative lift in the good direction, among the users it reaches. */
  trueEffect: number | null;
  /** trueEffect × reach: what keeping it does to its stage's metric. */
  funnelEffect: number | null;
  /** The primary metric's measured relative lift at the decision (null for the oracle). */
  measuredLift: number | null;
  ci: [number, number] | null;
  decision: Decision | null;
  /** Day of the window the decision came on (7 = the verdict at the end). */
  decidedOnDay: number | null;
  rule: string | null;
  kept: boolean;
  score: number | null;
  /** Growth of the bottom line from every change kept so far. */
  capturedLift: number;
  /** The week's weakest funnel stage, as the diagnosis read it. */
  weakestStage: BacklogItem["stage"] | null;
  idleReason?: string;
}

export interface StrategyRun {
  strategy: StrategyName;
  weeks: WeekRow[];
  /** What the product looks like at the end: compounded multiplier per stage. */
  stageMultipliers: Record<BacklogItem["stage"], number>;
  capturedLift: number;
  /** What the strategy learned from, in week order: one per verdict of a learning strategy. */
  observations: VerdictObservation[];
}

export interface RunOptions {
  worldSeed: string;
  weeks: number;
  items: readonly BacklogItem[];
  product?: ProductSettings;
}

interface Outcome {
  decision: Decision;
  rule: string;
  day: number | null;
  measuredLift: number | null;
  ci: [number, number] | null;
  observation?: VerdictObservation;
}

/**
 * Runs one strategy for `weeks` weeks on its own copy of the simulated product. Each week:
 * diagnose the funnel → pick → measure → decide → keep or roll back → learn. With the
 * `engine` mode this is the worker's chain (jobs/kickoff → check → verdict → learn) on a
 * virtual clock: the same pure functions, called in the same order.
 */
export function runStrategy(strategy: Strategy, options: RunOptions): StrategyRun {
  const product = new SimulatedProduct(options.worldSeed, options.product);
  const tried = new Set<string>();
  const observations: VerdictObservation[] = [];
  const rows: WeekRow[] = [];
  for (let w = 0; w < options.weeks; w++) {
    const diagnosis = product.diagnose(w);
    const start = DEMO_EPOCH + w * WEEK_MS;
    const isoWeek = isoWeekOf(new Date(start));
    const remaining = options.items.filter((item) => !tried.has(item.id));
    const picked = strategy.pick({
      week: w,
      remaining,
      tried,
      all: options.items,
      diagnosis,
      observations,
    });
    const base = { week: w + 1, isoWeek, weakestStage: diagnosis.weakestStage };
    if (!picked) {
      rows.push({
        ...base,
        ...IDLE,
        capturedLift: product.capturedLift(),
        idleReason: remaining.length === 0 ? "backlog exhausted" : "nothing left worth shipping",
      });
      continue;
    }
    const { item } = picked;
    tried.add(item.id);
    const measure = (daily: boolean) =>
      measureAndDecide(item, product.measureWindow(item, w), {
        id: experimentIdFor(isoWeek, item.id),
        week: isoWeek,
        daily,
        alpha: strategy.alpha ?? ALPHA,
        decidedAt: new Date(start + WEEK_MS),
      });
    let outcome: Outcome;
    if (strategy.measure !== "truth") outcome = measure(strategy.measure === "engine");
    else if (!strategy.learns) outcome = truthOutcome(item);
    else {
      // Judged by the truth but learning from what the week's test measured: the ceiling of
      // the ranking with learning. (Measuring draws from the item's own seeded streams, so the
      // world is the same as the other strategies'.)
      const truth = truthOutcome(item);
      const measured = measure(false).observation;
      outcome = measured
        ? { ...truth, observation: { ...measured, decision: truth.decision } }
        : truth;
    }
    const kept = outcome.decision === "ship";
    if (kept) product.ship(item);
    if (strategy.learns && outcome.observation) observations.push(outcome.observation);
    rows.push({
      ...base,
      itemId: item.id,
      stage: item.stage,
      surface: item.surface,
      trueEffect: trueGain(item),
      funnelEffect: trueGain(item) * item.reach,
      measuredLift: outcome.measuredLift,
      ci: outcome.ci,
      decision: outcome.decision,
      decidedOnDay: outcome.day,
      rule: outcome.rule,
      kept,
      score: picked.score,
      capturedLift: product.capturedLift(),
    });
  }
  return {
    strategy: strategy.name,
    weeks: rows,
    stageMultipliers: product.stageMultipliers(),
    capturedLift: product.capturedLift(),
    observations,
  };
}

const IDLE = {
  itemId: null,
  stage: null,
  surface: null,
  trueEffect: null,
  funnelEffect: null,
  measuredLift: null,
  ci: null,
  decision: null,
  decidedOnDay: null,
  rule: null,
  kept: false,
  score: null,
} as const;

function truthOutcome(item: BacklogItem): Outcome {
  const good = trueGain(item) > 0;
  return {
    decision: good ? "ship" : "rollback",
    rule: "knows-the-truth",
    day: null,
    measuredLift: null,
    ci: null,
  };
}

/**
 * The measurement window of one experiment. `daily`: jobs/check.ts on days 1..DAILY_CHECKS
 * (sequential analysis → `checkEarlyRollback`; a roll-back ends the window), then
 * jobs/verdict.ts at the end (fixed-horizon analysis → `decideVerdict`). Without `daily`, only
 * the fixed-horizon verdict. Either way the observation is the one jobs/learn.ts records.
 */
function measureAndDecide(
  item: BacklogItem,
  days: readonly Measurement[],
  experiment: { id: string; week: string; daily: boolean; alpha: number; decidedAt: Date },
): Outcome {
  const record: ExperimentRecord = {
    id: experiment.id,
    week: experiment.week,
    itemId: item.id,
    item,
    status: "measuring",
    history: [],
    writes: {},
    checks: [],
    version: 0,
  };
  if (experiment.daily) {
    for (let day = 1; day <= DAILY_CHECKS; day++) {
      const judgement = judge(record, days[day - 1] as Measurement, "sequential");
      const early = checkEarlyRollback({ ...judgement.args, alpha: experiment.alpha });
      if (early.rollback) {
        return {
          decision: "rollback",
          rule: early.rule,
          day,
          measuredLift: judgement.primary.relativeLift,
          ci: judgement.primary.ci,
          observation: observeVerdict(
            item,
            judgement.primary,
            "rollback",
            experiment.decidedAt.toISOString(),
          ),
        };
      }
    }
  }
  const judgement = judge(record, days[days.length - 1] as Measurement, "fixed");
  const verdict = decideVerdict({ ...judgement.args, alpha: experiment.alpha });
  return {
    decision: verdict.decision,
    rule: verdict.rule,
    day: days.length,
    measuredLift: judgement.primary.relativeLift,
    ci: judgement.primary.ci,
    observation: observeVerdict(
      item,
      judgement.primary,
      verdict.decision,
      experiment.decidedAt.toISOString(),
    ),
  };
}
