import { ALPHA } from "../../jobs/judge.js";
import type { Random } from "../adapters/sandbox/seeded-random.js";
import type { ProductDiagnosis } from "../adapters/sandbox/simulated-product.js";
import { trueFunnelEffect } from "../adapters/sandbox/simulated-product.js";
import { DEFAULT_KAPPA } from "../backlog/learn-priors.js";
import { rankBacklog } from "../backlog/rank-backlog.js";
import type { BacklogItem } from "../domain/backlog-item.js";
import type { VerdictObservation } from "../domain/verdict-observation.js";

export const STRATEGIES = ["oracle", "shiploop", "ice", "random"] as const;
export type StrategyName = (typeof STRATEGIES)[number];

/**
 * How a strategy measures what it picked:
 * - `truth`: no experiment; keep the change exactly when its true effect is positive (oracle);
 * - `engine`: daily sequential checks with early roll-back, then the fixed verdict (the worker);
 * - `fixed`: one fixed-horizon test at the end of the window, no daily looks (by hand).
 */
export type MeasureMode = "truth" | "engine" | "fixed";

export interface PickContext {
  week: number;
  /** Items not yet tried, in backlog order. */
  remaining: readonly BacklogItem[];
  /** Ids already tried, whatever their verdict. */
  tried: ReadonlySet<string>;
  all: readonly BacklogItem[];
  diagnosis: ProductDiagnosis;
  observations: readonly VerdictObservation[];
}

export interface Pick {
  item: BacklogItem;
  score: number;
  why: string;
}

export interface Strategy {
  name: StrategyName;
  measure: MeasureMode;
  /** Whether verdicts are turned into observations for later picks. */
  learns: boolean;
  /** Significance level of the decision rules; default: the worker's (jobs/judge.ts `ALPHA`). */
  alpha?: number;
  pick(ctx: PickContext): Pick | undefined;
}

/** Knobs of the engine that the demo may turn; the defaults are the worker's. */
export interface ShiploopKnobs {
  /**
   * κ of `computePriors`: pseudo-verdicts of trust in the author while there are too few
   * verdicts to estimate the prior (and always for effort).
   */
  kappa: number;
  /** Weight stages by the funnel's gaps (the worker does when it has an events source). */
  funnelWeights: boolean;
  /** Significance level of the verdict and the daily checks (the worker: 0.05). */
  alpha: number;
}

export const DEFAULT_KNOBS: ShiploopKnobs = {
  kappa: DEFAULT_KAPPA,
  funnelWeights: true,
  alpha: ALPHA,
};

/** Knows every true effect: ships the biggest remaining gain to the funnel, never a loser. */
export const oracle: Strategy = {
  name: "oracle",
  measure: "truth",
  learns: false,
  pick({ remaining }) {
    let best: BacklogItem | undefined;
    for (const item of remaining) {
      const effect = trueFunnelEffect(item);
      if (effect <= 0) continue;
      if (
        !best ||
        effect > trueFunnelEffect(best) ||
        (effect === trueFunnelEffect(best) && item.id < best.id)
      ) {
        best = item;
      }
    }
    return best && { item: best, score: trueFunnelEffect(best), why: "the largest true gain left" };
  },
};

/**
 * The worker's ranking (`rankBacklog`, as src/runtime/load-ranking.ts calls it) on the simulated
 * funnel: the week's stage weights, priors recomputed from every observation so far, items
 * already tried excluded;
 * the top-ranked eligible item is the pick (jobs/kickoff.ts takes the first whose surface is free,
 * and in the demo only one experiment is ever live).
 */
export function shiploop(knobs: ShiploopKnobs = DEFAULT_KNOBS): Strategy {
  return {
    name: "shiploop",
    measure: "engine",
    learns: true,
    alpha: knobs.alpha,
    pick({ all, tried, diagnosis, observations }) {
      const scored = rankBacklog(all, {
        snapshot: knobs.funnelWeights ? diagnosis : undefined,
        observations,
        kappa: knobs.kappa,
        liveSurfaces: new Set(),
        shippedIds: tried,
        blockedIds: new Set(),
      });
      const top = scored[0];
      if (!top?.eligible) return undefined;
      return { item: top.item, score: top.expectedValue, why: top.why };
    },
  };
}

/** ICE by hand: the author's impact × confidence ÷ effort, nothing learned, nothing weighted. */
export const ice: Strategy = {
  name: "ice",
  measure: "fixed",
  learns: false,
  pick({ remaining }) {
    let best: BacklogItem | undefined;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (const item of remaining) {
      const score = (item.impact.relativeLift * item.impact.confidence) / item.effort;
      if (score > bestScore || (score === bestScore && best && item.id < best.id)) {
        best = item;
        bestScore = score;
      }
    }
    return best && { item: best, score: bestScore, why: "impact × confidence ÷ effort" };
  },
};

/** Any remaining item, drawn with the strategy's own seeded RNG; measured like ICE. */
export function randomStrategy(random: Random): Strategy {
  return {
    name: "random",
    measure: "fixed",
    learns: false,
    pick({ remaining }) {
      if (remaining.length === 0) return undefined;
      const item = remaining[Math.floor(random() * remaining.length)] as BacklogItem;
      return { item, score: 0, why: "drawn at random" };
    },
  };
}
