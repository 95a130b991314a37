/**
 * Properties that must hold for any valid input, including degenerate and extreme ones:
 * the JSON never carries NaN or Infinity, probabilities are probabilities, intervals are
 * ordered. fast-check searches for counterexamples (seeded, so runs are reproducible).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/stats/analyze.js";
import { type AnalyzeInput, parseAnalyzeInput } from "../../src/stats/analyze-input-schema.js";

const count = fc.oneof(
  fc.constantFrom(0, 1, 2),
  fc.integer({ min: 0, max: 1_000_000 }),
  fc.constant(1e300),
);
const real = fc.oneof(
  fc.constantFrom(0, -1, 1),
  fc.double({ min: -1e9, max: 1e9, noNaN: true }),
  fc.constantFrom(1e300, -1e300),
);
const square = fc.oneof(
  fc.constant(0),
  fc.double({ min: 0, max: 1e12, noNaN: true }),
  fc.constant(1e300),
);

const proportion = count.chain((n) =>
  fc.record(
    {
      n: fc.constant(n),
      sum: fc.double({ min: 0, max: n, noNaN: true }),
      preSum: real,
      sumProductPre: real,
    },
    { requiredKeys: ["n", "sum"] },
  ),
);
const mean = fc.record({ n: count, sum: real, sumSquares: square });
const meanWithPre = fc.record({
  n: count,
  sum: real,
  sumSquares: square,
  preSum: real,
  preSumSquares: square,
  sumProductPre: real,
});
const ratio = fc.record({
  n: count,
  sum: real,
  sumSquares: square,
  denominatorSum: real,
  denominatorSumSquares: square,
  sumProductDenominator: real,
});

const metric = fc.oneof(
  fc
    .tuple(
      proportion.filter((s) => !("preSum" in s) && !("sumProductPre" in s)),
      proportion,
    )
    .map(([a, b]) => ({ type: "proportion" as const, stats: [a, { n: b.n, sum: b.sum }] })),
  fc
    .tuple(
      proportion.map((s) => ({ ...s, preSum: s.preSum ?? 0, sumProductPre: s.sumProductPre ?? 0 })),
      proportion.map((s) => ({ ...s, preSum: s.preSum ?? 1, sumProductPre: s.sumProductPre ?? 1 })),
    )
    .map(([a, b]) => ({ type: "proportion" as const, stats: [a, b] })),
  fc.tuple(mean, mean).map(([a, b]) => ({ type: "mean" as const, stats: [a, b] })),
  fc.tuple(meanWithPre, meanWithPre).map(([a, b]) => ({ type: "mean" as const, stats: [a, b] })),
  fc.tuple(ratio, ratio).map(([a, b]) => ({ type: "ratio" as const, stats: [a, b] })),
);

const input: fc.Arbitrary<AnalyzeInput> = fc
  .record({
    alpha: fc.constantFrom(0.01, 0.05, 0.1),
    method: fc.constantFrom("fixed", "sequential", "bayesian"),
    correction: fc.constantFrom("none", "holm", "bh"),
    prior: fc.option(
      fc.record({
        mean: fc.double({ min: -1, max: 1, noNaN: true }),
        stddev: fc.constantFrom(0.01, 0.1, 1),
      }),
      { nil: undefined },
    ),
    users: fc.tuple(count, count),
    metrics: fc.array(fc.tuple(metric, fc.boolean()), { minLength: 1, maxLength: 3 }),
  })
  .map(({ users, metrics, prior, ...rest }) => ({
    ...rest,
    ...(prior ? { prior } : {}),
    variants: [
      { name: "control", users: users[0] },
      { name: "treatment", users: users[1] },
    ],
    metrics: metrics.map(([m, higherIsBetter], i) => ({
      name: `m${i}`,
      type: m.type,
      higherIsBetter,
      stats: { control: m.stats[0], treatment: m.stats[1] },
    })) as AnalyzeInput["metrics"],
  }));

describe("analyze on arbitrary valid input", () => {
  it("accepts what the schema accepts, and returns only finite, well-formed numbers", () => {
    fc.assert(
      fc.property(input, (raw) => {
        const output = analyze(parseAnalyzeInput(raw));
        const text = JSON.stringify(output);
        // JSON.stringify writes NaN and ±Infinity as null: compare against a strict round trip.
        expect(text).not.toMatch(/NaN|Infinity/);
        expect(output.srm.pValue).toBeGreaterThanOrEqual(0);
        expect(output.srm.pValue).toBeLessThanOrEqual(1);
        for (const c of output.metrics.flatMap((m) => m.comparisons)) {
          const numbers = [c.mean, c.baselineMean, c.absoluteLift, c.relativeLift, c.se, ...c.ci];
          for (const x of numbers) expect(Number.isFinite(x)).toBe(true);
          expect(c.ci[0]).toBeLessThanOrEqual(c.ci[1]);
          expect(c.se).toBeGreaterThanOrEqual(0);
          if (raw.method === "bayesian") {
            expect(c.pValue).toBeNull();
            expect(c.chanceToWin).toBeGreaterThanOrEqual(0);
            expect(c.chanceToWin).toBeLessThanOrEqual(1);
            for (const r of c.risk ?? [Number.NaN]) expect(r).toBeGreaterThanOrEqual(-1e-12);
          } else {
            expect(c.pValue).toBeGreaterThanOrEqual(0);
            expect(c.pValue).toBeLessThanOrEqual(1);
            expect(c.chanceToWin).toBeNull();
            expect(c.relativeLift).toBeGreaterThanOrEqual(c.ci[0]);
            expect(c.relativeLift).toBeLessThanOrEqual(c.ci[1]);
            if (raw.correction === "none") expect(c.pValueAdjusted).toBeNull();
            else expect(c.pValueAdjusted).toBeGreaterThanOrEqual(c.pValue as number);
          }
        }
      }),
      { numRuns: 500, seed: 20240611 },
    );
  });

  it("is deterministic: the same input gives byte-identical output", () => {
    fc.assert(
      fc.property(input, (raw) => {
        expect(JSON.stringify(analyze(raw))).toBe(JSON.stringify(analyze(structuredClone(raw))));
      }),
      { numRuns: 100, seed: 7 },
    );
  });
});

describe("zero and degenerate arms give the defined no-result", () => {
  it.each([
    { name: "control mean 0", control: { n: 1000, sum: 0 }, treatment: { n: 1000, sum: 30 } },
    { name: "empty control", control: { n: 0, sum: 0 }, treatment: { n: 1000, sum: 30 } },
    {
      name: "everyone converted in both",
      control: { n: 500, sum: 500 },
      treatment: { n: 500, sum: 500 },
    },
    { name: "one user each", control: { n: 1, sum: 1 }, treatment: { n: 1, sum: 0 } },
  ])("$name", ({ control, treatment }) => {
    for (const method of ["fixed", "sequential", "bayesian"] as const) {
      const c = analyze({
        method,
        variants: [
          { name: "control", users: control.n },
          { name: "treatment", users: treatment.n },
        ],
        metrics: [{ name: "m", type: "proportion", stats: { control, treatment } }],
      }).metrics[0]?.comparisons[0];
      expect(c).toMatchObject({
        relativeLift: 0,
        absoluteLift: 0,
        se: 0,
        ci: [0, 0],
        significant: false,
      });
      if (method === "bayesian")
        expect(c).toMatchObject({ chanceToWin: 0.5, risk: [0, 0], pValue: null });
      else expect(c).toMatchObject({ pValue: 1, chanceToWin: null, risk: null });
    }
  });
});
