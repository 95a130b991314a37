/**
 * Benchmark: 100,000 metric analyses (proportion, mean, mean with CUPED and ratio metrics ×
 * fixed, sequential and Bayesian methods, each with its SRM check) through `analyze`, then the
 * same inputs through a plain scipy implementation (bench/analyze-scipy.py), side by side.
 *
 * Run from the repository root:   npx tsx bench/analyze.ts [count]
 *
 * Both sides time only the analysis loop (no JSON parsing, no process start). Both sides'
 * results are compared, so the figure is for the same numbers, not just the same loop.
 * Prints figures; asserts nothing (DESIGN.md: benchmarks never gate tests).
 */

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seededRandom } from "../src/adapters/sandbox/seeded-random.js";
import { analyze } from "../src/stats/analyze.js";
import type { AnalyzeInput } from "../src/stats/analyze-input-schema.js";

const COUNT = Number(process.argv[2] ?? 100_000);
const METHODS = ["fixed", "sequential", "bayesian"] as const;
const KINDS = ["proportion", "mean", "cuped", "ratio"] as const;

/** Plausible sufficient statistics for one arm of the given kind. */
function arm(kind: (typeof KINDS)[number], n: number, lift: number, u: () => number) {
  const jitter = () => 1 + 0.05 * (u() - 0.5);
  if (kind === "proportion") return { n, sum: Math.round(n * 0.12 * (1 + lift) * jitter()) };
  const mean = 10 * (1 + lift) * jitter();
  const sd = 6 * jitter();
  const sum = n * mean;
  const sumSquares = (n - 1) * sd * sd + (sum * sum) / n;
  if (kind === "mean") return { n, sum, sumSquares };
  if (kind === "cuped") {
    const preMean = 10 * jitter();
    const preSum = n * preMean;
    const preSumSquares = (n - 1) * 36 + (preSum * preSum) / n;
    const sumProductPre = (n - 1) * 0.6 * sd * 6 + (sum * preSum) / n;
    return { n, sum, sumSquares, preSum, preSumSquares, sumProductPre };
  }
  const seats = 3 * jitter();
  const denominatorSum = n * seats;
  return {
    n,
    sum,
    sumSquares,
    denominatorSum,
    denominatorSumSquares: (n - 1) * 2 + (denominatorSum * denominatorSum) / n,
    sumProductDenominator: (n - 1) * 0.5 * sd * Math.SQRT2 + (sum * denominatorSum) / n,
  };
}

function makeInputs(count: number): AnalyzeInput[] {
  const u = seededRandom(42);
  const inputs: AnalyzeInput[] = [];
  for (let i = 0; i < count; i++) {
    const method = METHODS[i % METHODS.length] as (typeof METHODS)[number];
    const kind = KINDS[Math.floor(i / METHODS.length) % KINDS.length] as (typeof KINDS)[number];
    const nControl = 500 + Math.floor(u() * 20_000);
    const nTreatment = Math.round(nControl * (0.97 + 0.06 * u()));
    const lift = 0.08 * (u() - 0.4);
    inputs.push({
      method,
      variants: [
        { name: "control", users: nControl, weight: 0.5 },
        { name: "treatment", users: nTreatment, weight: 0.5 },
      ],
      metrics: [
        {
          name: "m",
          type: kind === "cuped" ? "mean" : kind,
          stats: { control: arm(kind, nControl, 0, u), treatment: arm(kind, nTreatment, lift, u) },
        } as AnalyzeInput["metrics"][number],
      ],
    });
  }
  return inputs;
}

/** [relative lift, p-value or chance to win] per analysis, for the cross-check. */
function runOurs(inputs: AnalyzeInput[]): { seconds: number; results: number[][] } {
  const results: number[][] = new Array(inputs.length);
  const start = performance.now();
  for (let i = 0; i < inputs.length; i++) {
    const output = analyze(inputs[i] as AnalyzeInput);
    const c = output.metrics[0]?.comparisons[0];
    results[i] = [
      c?.relativeLift ?? Number.NaN,
      c?.pValue ?? c?.chanceToWin ?? Number.NaN,
      output.srm.pValue,
    ];
  }
  return { seconds: (performance.now() - start) / 1000, results };
}

function main(): void {
  const inputs = makeInputs(COUNT);
  runOurs(inputs.slice(0, 5000)); // warm up the JIT before timing
  const ours = runOurs(inputs);

  const dir = mkdtempSync(join(tmpdir(), "shiploop-bench-"));
  try {
    const file = join(dir, "inputs.json");
    writeFileSync(file, JSON.stringify(inputs));
    const python = spawnSync("python3", ["bench/analyze-scipy.py", file], {
      encoding: "utf8",
      maxBuffer: 1 << 30,
    });
    if (python.status !== 0) throw new Error(`analyze-scipy.py failed:\n${python.stderr}`);
    const scipy = JSON.parse(python.stdout) as { seconds: number; results: number[][] };

    let maxDiff = 0;
    for (const [i, row] of ours.results.entries()) {
      for (const [j, x] of row.entries()) {
        const y = scipy.results[i]?.[j] ?? Number.NaN;
        maxDiff = Math.max(maxDiff, Math.abs(x - y) / Math.max(1, Math.abs(y)));
      }
    }
    const oursRate = COUNT / ours.seconds;
    const scipyRate = COUNT / scipy.seconds;
    const line = (name: string, seconds: number, rate: number) =>
      `${name.padEnd(26)} ${seconds.toFixed(3).padStart(8)} s ${Math.round(rate).toLocaleString("en-US").padStart(12)} analyses/s`;
    console.log(
      `${COUNT.toLocaleString("en-US")} metric analyses (4 metric kinds × 3 methods, each with SRM)`,
    );
    console.log(line("shiploop (TypeScript)", ours.seconds, oursRate));
    console.log(line("scipy (Python, per call)", scipy.seconds, scipyRate));
    console.log(`ratio: ${(oursRate / scipyRate).toFixed(1)}× scipy (target ≥ 20×)`);
    console.log(`largest relative difference between the two: ${maxDiff.toExponential(2)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
