/**
 * Cross-checks against an independent implementation: fixtures/make-fixtures.py simulates
 * per-user data, computes each comparison from the raw arrays with numpy and scipy.stats, and
 * stores the sufficient statistics with the expected numbers. Agreement to ~1e-9 shows our
 * sufficient-statistic algebra and stdlib's distribution functions match numpy/scipy.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/stats/analyze.js";
import type { AnalyzeInput } from "../../src/stats/analyze-input-schema.js";

interface ExpectedComparison {
  variant: string;
  absoluteLift: number;
  relativeLift: number;
  se: number;
  ci: [number, number];
  pValue?: number;
  chanceToWin?: number;
  risk?: [number, number];
  cuped: boolean;
}

interface Fixture {
  alpha: number;
  sequentialTuning: number;
  cases: {
    name: string;
    input: AnalyzeInput;
    expected: { srmPValue: number; comparisons: ExpectedComparison[] };
  }[];
}

const fixture: Fixture = JSON.parse(
  readFileSync(new URL("fixtures/scipy-cases.json", import.meta.url), "utf8"),
);

/** |actual − expected| within 1e-9 relative (1e-12 absolute near zero). */
function expectNear(actual: number | null | undefined, expected: number, what: string): void {
  expect(actual, what).toBeTypeOf("number");
  const tolerance = Math.max(1e-12, 1e-9 * Math.abs(expected));
  expect(
    Math.abs((actual as number) - expected),
    `${what}: ${actual} vs ${expected}`,
  ).toBeLessThanOrEqual(tolerance);
}

describe("agreement with numpy + scipy (fixtures/scipy-cases.json)", () => {
  it("has cases for every metric type and method", () => {
    const kinds = new Set(
      fixture.cases.map((c) => `${c.input.metrics[0]?.type}/${c.input.method}`),
    );
    expect(kinds.size).toBe(9);
  });

  it.each(fixture.cases)("$name", ({ input, expected }) => {
    const output = analyze({
      ...input,
      alpha: fixture.alpha,
      sequentialTuning: fixture.sequentialTuning,
    });
    expectNear(output.srm.pValue, expected.srmPValue, "srm p");
    const comparisons = output.metrics[0]?.comparisons ?? [];
    expect(comparisons.map((c) => c.variant)).toEqual(expected.comparisons.map((c) => c.variant));
    for (const [i, want] of expected.comparisons.entries()) {
      const got = comparisons[i];
      if (!got) throw new Error(`missing comparison ${want.variant}`);
      expect(got.cuped, "cuped").toBe(want.cuped);
      expectNear(got.absoluteLift, want.absoluteLift, "absolute lift");
      expectNear(got.relativeLift, want.relativeLift, "relative lift");
      expectNear(got.se, want.se, "se");
      expectNear(got.ci[0], want.ci[0], "ci low");
      expectNear(got.ci[1], want.ci[1], "ci high");
      if (want.pValue !== undefined) expectNear(got.pValue, want.pValue, "p");
      else expect(got.pValue).toBeNull();
      if (want.chanceToWin !== undefined)
        expectNear(got.chanceToWin, want.chanceToWin, "chance to win");
      if (want.risk) {
        expectNear(got.risk?.[0], want.risk[0], "risk control");
        expectNear(got.risk?.[1], want.risk[1], "risk treatment");
      }
    }
  });
});
