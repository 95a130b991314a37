import { describe, expect, it } from "vitest";
import { analyze } from "../../src/stats/analyze.js";
import { type PowerArgs, requiredSampleSize } from "../../src/stats/power.js";
import { binomialApprox, mulberry32, normalSampleStats, normalSource } from "./simulate.js";

describe("requiredSampleSize", () => {
  // Expected values: the same delta-method formula evaluated with scipy's norm.ppf.
  it.each([
    { args: { baselineRate: 0.1, mde: 0.1 }, control: 16232, treatment: 16232 },
    { args: { baselineRate: 0.2, mde: 0.05 }, control: 26867, treatment: 26867 },
    { args: { baselineRate: 0.1, mde: 0.1, split: 0.2 }, control: 39284, treatment: 9821 },
    { args: { baselineMean: 10, sd: 6, mde: 0.05 }, control: 2377, treatment: 2377 },
    { args: { baselineMean: 50, sd: 100, mde: 0.1, split: 0.3 }, control: 11125, treatment: 4768 },
  ] as { args: PowerArgs; control: number; treatment: number }[])(
    "$args → $control + $treatment",
    ({ args, control, treatment }) => {
      expect(requiredSampleSize(args)).toEqual({ control, treatment, total: control + treatment });
    },
  );

  it("needs more users for a smaller effect, more power or a stricter alpha", () => {
    const base = requiredSampleSize({ baselineRate: 0.1, mde: 0.1 }).total;
    expect(requiredSampleSize({ baselineRate: 0.1, mde: 0.05 }).total).toBeGreaterThan(3.5 * base);
    expect(requiredSampleSize({ baselineRate: 0.1, mde: 0.1, power: 0.9 }).total).toBeGreaterThan(
      base,
    );
    expect(requiredSampleSize({ baselineRate: 0.1, mde: 0.1, alpha: 0.01 }).total).toBeGreaterThan(
      base,
    );
  });

  it.each([
    [{ baselineRate: 0.1, mde: 0 }, "mde"],
    [{ baselineRate: 1.2, mde: 0.1 }, "baselineRate"],
    [{ baselineRate: 0.1, mde: 0.1, split: 50 }, "split"],
    [{ baselineMean: 10, sd: 0, mde: 0.1 }, "sd"],
  ] as [PowerArgs, string][])("rejects %j (%s)", (args, field) => {
    expect(() => requiredSampleSize(args)).toThrow(new RegExp(field));
  });
});

/**
 * At a true lift equal to the MDE and the calculator's sample size, the fixed-horizon test
 * should detect the lift in about `power` of experiments. Allowed: 3 binomial standard errors
 * (≈ 0.019 at 4,000 runs) plus 0.025 for the relative-lift estimator's small upward bias
 * (E[1/p̂_c] > 1/p_c), which lifts the observed power to ≈ 81–82 % for proportions.
 * A calculator off by a factor of two in n would land near 50 % or 98 %.
 */
describe("power simulation: the calculator's n detects the MDE ≈ 80 % of the time", () => {
  const runs = 4000;
  const tolerance = 3 * Math.sqrt((0.8 * 0.2) / runs) + 0.025;

  it.each([
    { name: "proportion 10 % → 11 %, 50/50", baselineRate: 0.1, mde: 0.1, split: 0.5 },
    { name: "proportion 30 % → 31.5 %, 20/80", baselineRate: 0.3, mde: 0.05, split: 0.2 },
  ])("$name", ({ baselineRate, mde, split }) => {
    const size = requiredSampleSize({ baselineRate, mde, split });
    const normal = normalSource(mulberry32(7));
    let detected = 0;
    for (let run = 0; run < runs; run++) {
      const control = { n: size.control, sum: binomialApprox(normal, size.control, baselineRate) };
      const treatment = {
        n: size.treatment,
        sum: binomialApprox(normal, size.treatment, baselineRate * (1 + mde)),
      };
      const c = analyze({
        variants: [
          { name: "control", users: size.control, weight: 1 - split },
          { name: "treatment", users: size.treatment, weight: split },
        ],
        metrics: [{ name: "conv", type: "proportion", stats: { control, treatment } }],
      }).metrics[0]?.comparisons[0];
      if (c?.significant && c.relativeLift > 0) detected++;
    }
    expect(Math.abs(detected / runs - 0.8)).toBeLessThan(tolerance);
  });

  it("mean metric 10 ± 6 → +5 %", () => {
    const size = requiredSampleSize({ baselineMean: 10, sd: 6, mde: 0.05 });
    const normal = normalSource(mulberry32(11));
    let detected = 0;
    for (let run = 0; run < runs; run++) {
      const c = analyze({
        variants: [
          { name: "control", users: size.control },
          { name: "treatment", users: size.treatment },
        ],
        metrics: [
          {
            name: "revenue",
            type: "mean",
            stats: {
              control: normalSampleStats(normal, size.control, 10, 6),
              treatment: normalSampleStats(normal, size.treatment, 10.5, 6),
            },
          },
        ],
      }).metrics[0]?.comparisons[0];
      if (c?.significant && c.relativeLift > 0) detected++;
    }
    expect(Math.abs(detected / runs - 0.8)).toBeLessThan(tolerance);
  });
});
