import { describe, expect, it } from "vitest";
import { analyze } from "../../src/stats/analyze.js";
import { benjaminiHochbergAdjust, holmAdjust } from "../../src/stats/multiple-testing.js";
import { checkSrm } from "../../src/stats/srm.js";

describe("checkSrm", () => {
  it.each([
    {
      case: "52/48 of 20,000 on a 50/50 design",
      users: [10400, 9600],
      weights: [0.5, 0.5],
      mismatch: true,
    },
    {
      case: "50.2/49.8 of 20,000 on a 50/50 design",
      users: [10040, 9960],
      weights: [0.5, 0.5],
      mismatch: false,
    },
    { case: "DESIGN.md's example", users: [10000, 10080], weights: [0.5, 0.5], mismatch: false },
    { case: "90/10 design honoured", users: [18000, 2000], weights: [9, 1], mismatch: false },
    { case: "90/10 design served 50/50", users: [10000, 10000], weights: [9, 1], mismatch: true },
  ])("$case → mismatch $mismatch", ({ users, weights, mismatch }) => {
    expect(checkSrm(users, weights).mismatch).toBe(mismatch);
  });

  it.each([
    // Reference p-values from scipy.stats.chisquare.
    { users: [10400, 9600], weights: [1, 1], pValue: 1.5417257900280013e-8 },
    { users: [10040, 9960], weights: [1, 1], pValue: 0.5716076449533314 },
    { users: [3000, 3100, 2900], weights: [1, 1, 1], pValue: 0.035673993347252395 },
  ])("p-value of $users against $weights", ({ users, weights, pValue }) => {
    expect(checkSrm(users, weights).pValue).toBeCloseTo(pValue, 10);
  });

  it("no users → p 1, no mismatch; a weight-0 variant is left out of the statistic", () => {
    expect(checkSrm([0, 0], [1, 1])).toEqual({ pValue: 1, mismatch: false });
    expect(checkSrm([5000, 5000, 3], [1, 1, 0]).mismatch).toBe(false);
  });
});

describe("multiple testing", () => {
  // Worked by hand: sorted p = .005 .01 .03 .04 .5, Holm multiplies by 5 4 3 2 1 (running max),
  // BH by 5/1 5/2 5/3 5/4 5/5 (running min from the top).
  const p = [0.01, 0.04, 0.03, 0.005, 0.5];
  it("Holm–Bonferroni", () => {
    const expected = [0.04, 0.09, 0.09, 0.025, 0.5];
    expectAllClose(holmAdjust(p), expected);
  });
  it("Benjamini–Hochberg", () => {
    const expected = [0.025, 0.05, 0.05, 0.025, 0.5];
    expectAllClose(benjaminiHochbergAdjust(p), expected);
  });
  it("caps at 1 and keeps ties stable", () => {
    expect(holmAdjust([0.6, 0.6])).toEqual([1, 1]);
    expect(benjaminiHochbergAdjust([0.6, 0.6])).toEqual([0.6, 0.6]);
  });

  it("analyze applies the correction across metrics × variants and re-derives significance", () => {
    const stats = (sum: number) => ({ n: 10000, sum });
    const input = {
      correction: "holm" as const,
      variants: [
        { name: "control", users: 10000 },
        { name: "b", users: 10000 },
        { name: "c", users: 10000 },
      ],
      metrics: [
        {
          name: "m1",
          type: "proportion" as const,
          stats: { control: stats(1000), b: stats(1090), c: stats(1010) },
        },
        {
          name: "m2",
          type: "proportion" as const,
          stats: { control: stats(1000), b: stats(1000), c: stats(1200) },
        },
      ],
    };
    const plain = analyze({ ...input, correction: "none" }).metrics.flatMap((m) => m.comparisons);
    const corrected = analyze(input).metrics.flatMap((m) => m.comparisons);
    const expected = holmAdjust(plain.map((c) => c.pValue as number));
    expect(plain.every((c) => c.pValueAdjusted === null)).toBe(true);
    corrected.forEach((c, i) => {
      expect(c.pValueAdjusted).toBeCloseTo(expected[i] as number, 12);
      expect(c.significant).toBe((expected[i] as number) < 0.05);
    });
    // m1/b is significant alone (p ≈ 0.033) but not after correcting for four comparisons.
    expect(plain[0]?.significant).toBe(true);
    expect(corrected[0]?.significant).toBe(false);
  });
});

function expectAllClose(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  for (const [i, x] of actual.entries()) expect(x).toBeCloseTo(expected[i] as number, 12);
}
