import { describe, expect, it } from "vitest";
import {
  EQUAL_STAGE_WEIGHTS,
  stageWeightsFromGaps,
  weakestStage,
} from "../../src/diagnose/stage-weights.js";
import type { FunnelStage } from "../../src/domain/funnel-stage.js";

type Gaps = Record<FunnelStage, number | null>;
const gaps = (
  ttv: number | null,
  activation: number | null,
  pql: number | null,
  monetization: number | null,
  retention: number | null,
): Gaps => ({
  ttv,
  activation,
  pql,
  monetization,
  retention,
});
const list = (w: Record<FunnelStage, number>) => [
  w.ttv,
  w.activation,
  w.pql,
  w.monetization,
  w.retention,
];

describe("stageWeightsFromGaps: w = (g + f) / mean(g + f)", () => {
  it.each([
    {
      name: "the documented example",
      g: gaps(0, 0.5, 0, 0, 0),
      f: 0.1,
      w: [0.5, 3, 0.5, 0.5, 0.5],
    },
    { name: "no gaps anywhere: all equal", g: gaps(0, 0, 0, 0, 0), f: 0.1, w: [1, 1, 1, 1, 1] },
    { name: "no floor and no gaps: all equal", g: gaps(0, 0, 0, 0, 0), f: 0, w: [1, 1, 1, 1, 1] },
    {
      name: "no floor: a healthy stage gets nothing",
      g: gaps(0.2, 0.2, 0, 0, 0.6),
      f: 0,
      w: [1, 1, 0, 0, 3],
    },
    {
      name: "nothing measured: all equal",
      g: gaps(null, null, null, null, null),
      f: 0.1,
      w: [1, 1, 1, 1, 1],
    },
    // Known gaps 0.4 and 0: fill 0.2; numerators .5 .1 .3 .3 .3, mean .3.
    {
      name: "unmeasured stages weigh exactly 1",
      g: gaps(0.4, 0, null, null, null),
      f: 0.1,
      w: [5 / 3, 1 / 3, 1, 1, 1],
    },
  ])("$name", ({ g, f, w }) => {
    const weights = list(stageWeightsFromGaps(g, f));
    for (const [i, x] of weights.entries()) expect(x).toBeCloseTo(w[i] as number, 12);
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(5, 12);
  });

  it("exports equal weights for scoring without a diagnosis", () => {
    expect(list(EQUAL_STAGE_WEIGHTS)).toEqual([1, 1, 1, 1, 1]);
  });
});

describe("weakestStage", () => {
  it.each([
    { g: gaps(0.1, 0.3, 0.2, 0, 0), weakest: "activation" },
    { g: gaps(0.3, 0.3, 0, 0, 0), weakest: "ttv" }, // a tie goes to the earlier stage
    { g: gaps(0, 0, 0, 0, 0), weakest: null },
    { g: gaps(null, null, 0.05, null, null), weakest: "pql" },
  ])("$weakest", ({ g, weakest }) => {
    expect(weakestStage(g)).toBe(weakest);
  });
});
