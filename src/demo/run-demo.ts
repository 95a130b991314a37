import { seededRandom } from "../adapters/sandbox/seeded-random.js";
import type { ProductSettings } from "../adapters/sandbox/simulated-product.js";
import type { BacklogItem } from "../domain/backlog-item.js";
import { type StrategyTotals, totalsOf } from "./demo-totals.js";
import { type RunOptions, runStrategy, type StrategyRun } from "./run-strategy.js";
import {
  DEFAULT_KNOBS,
  ice,
  oracle,
  randomStrategy,
  type ShiploopKnobs,
  type StrategyName,
  shiploop,
} from "./strategies.js";
import { syntheticBacklog } from "./synthetic-backlog.js";

export const DEFAULT_DEMO_WEEKS = 52;
export const DEFAULT_DEMO_ITEMS = 120;

export interface DemoOptions {
  seed: string;
  weeks: number;
  /** Synthetic backlog size; ignored when `items` is given. */
  itemCount?: number;
  /** A given backlog (its truth in `sandbox.trueRelativeLift`) instead of a synthetic one. */
  items?: readonly BacklogItem[];
  knobs?: ShiploopKnobs;
  product?: ProductSettings;
}

export interface DemoResult {
  seed: string;
  weeks: number;
  backlog: "synthetic" | "given";
  items: number;
  runs: Record<StrategyName, StrategyRun>;
  totals: Record<StrategyName, StrategyTotals>;
}

/** The world of a demo run: its backlog and the product's seed; strategies run on copies of it. */
export function demoWorld(options: DemoOptions): RunOptions {
  return {
    worldSeed: `${options.seed}/world`,
    weeks: options.weeks,
    items:
      options.items ??
      syntheticBacklog(
        seededRandom(`${options.seed}/backlog`),
        options.itemCount ?? DEFAULT_DEMO_ITEMS,
      ),
    ...(options.product ? { product: options.product } : {}),
  };
}

/**
 * One simulated world (a backlog and a product, both from `seed`) and every strategy run on
 * its own copy of it. Pure: the seed decides everything, so the same options give the same
 * result byte for byte.
 */
export function runDemo(options: DemoOptions): DemoResult {
  const run = demoWorld(options);
  const { items } = run;
  const runs: Record<StrategyName, StrategyRun> = {
    oracle: runStrategy(oracle, run),
    shiploop: runStrategy(shiploop(options.knobs ?? DEFAULT_KNOBS), run),
    ice: runStrategy(ice, run),
    random: runStrategy(randomStrategy(seededRandom(`${options.seed}/random`)), run),
  };
  const best = runs.oracle.capturedLift;
  return {
    seed: options.seed,
    weeks: options.weeks,
    backlog: options.items ? "given" : "synthetic",
    items: items.length,
    runs,
    totals: {
      oracle: totalsOf(runs.oracle, best),
      shiploop: totalsOf(runs.shiploop, best),
      ice: totalsOf(runs.ice, best),
      random: totalsOf(runs.random, best),
    },
  };
}
