/**
 * Decision quality: how much true lift each strategy captures on the same simulated worlds.
 * `npx tsx bench/decision.ts [--seeds 20] [--weeks 52] [--items 120] [--signups 4000]
 *  [--kappa 3] [--alpha 0.05] [--equal-weights]`
 *
 * Below the four strategies, two diagnostic rows split shiploop's gap to the oracle in two:
 * "oracle picks, engine judges" is the ceiling of the verdict rule (perfect picks, real
 * measurement); "shiploop picks, truth judges" is the ceiling of the ranking (real picks,
 * perfect verdicts).
 */
import { parseArgs } from "node:util";
import { DEFAULT_PRODUCT_SETTINGS } from "../src/adapters/sandbox/simulated-product.js";
import { type StrategyTotals, totalsOf } from "../src/demo/demo-totals.js";
import {
  DEFAULT_DEMO_ITEMS,
  DEFAULT_DEMO_WEEKS,
  demoWorld,
  runDemo,
} from "../src/demo/run-demo.js";
import { runStrategy } from "../src/demo/run-strategy.js";
import {
  DEFAULT_KNOBS,
  oracle,
  STRATEGIES,
  type Strategy,
  shiploop,
} from "../src/demo/strategies.js";
import { type Summary, summarize } from "../src/demo/summarize.js";

const { values } = parseArgs({
  options: {
    seeds: { type: "string", default: "20" },
    weeks: { type: "string", default: String(DEFAULT_DEMO_WEEKS) },
    items: { type: "string", default: String(DEFAULT_DEMO_ITEMS) },
    signups: { type: "string", default: String(DEFAULT_PRODUCT_SETTINGS.signupsPerDay) },
    kappa: { type: "string", default: String(DEFAULT_KNOBS.kappa) },
    alpha: { type: "string", default: String(DEFAULT_KNOBS.alpha) },
    "equal-weights": { type: "boolean", default: false },
  },
});
const seeds = Number(values.seeds);
const weeks = Number(values.weeks);
const itemCount = Number(values.items);
const product = { ...DEFAULT_PRODUCT_SETTINGS, signupsPerDay: Number(values.signups) };
const knobs = {
  kappa: Number(values.kappa),
  funnelWeights: !values["equal-weights"],
  alpha: Number(values.alpha),
};
const DIAGNOSTICS = {
  "(oracle picks, engine judges)": { ...oracle, measure: "engine", alpha: knobs.alpha },
  "(shiploop picks, truth judges)": { ...shiploop(knobs), measure: "truth" },
} satisfies Record<string, Strategy>;
const ROWS = [...STRATEGIES, ...Object.keys(DIAGNOSTICS)];

const started = performance.now();
const totals = new Map<string, StrategyTotals[]>(ROWS.map((s) => [s, []]));
for (let seed = 1; seed <= seeds; seed++) {
  const options = { seed: String(seed), weeks, itemCount, knobs, product };
  const result = runDemo(options);
  for (const s of STRATEGIES) totals.get(s)?.push(result.totals[s]);
  const world = demoWorld(options);
  for (const [label, strategy] of Object.entries(DIAGNOSTICS)) {
    totals
      .get(label)
      ?.push(totalsOf(runStrategy(strategy, world), result.runs.oracle.capturedLift));
  }
}
const seconds = (performance.now() - started) / 1000;

const pct = (s: Summary) => `${(s.mean * 100).toFixed(1)} ± ${(s.sd * 100).toFixed(1)} %`;
const num = (s: Summary) => `${s.mean.toFixed(1)} ± ${s.sd.toFixed(1)}`;
const rows = ROWS.map((s) => {
  const t = totals.get(s) ?? [];
  const firstWinner = summarize(t.map((x) => x.weeksToFirstWinner));
  return [
    s,
    pct(summarize(t.map((x) => x.capturedLift))),
    pct(summarize(t.map((x) => x.oracleRatio))),
    pct(summarize(t.map((x) => x.falseShipRate))),
    pct(summarize(t.map((x) => x.missedWinRate))),
    `${num(firstWinner)}${firstWinner.n < t.length ? ` (${t.length - firstWinner.n} none)` : ""}`,
    num(summarize(t.map((x) => x.kept))),
  ];
});
const header = [
  "strategy",
  "captured true lift",
  "ratio to oracle",
  "false-ship rate",
  "missed-win rate",
  "weeks to 1st winner",
  "kept",
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
const line = (cells: string[]) =>
  `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
console.log(
  `decision quality: ${seeds} seeds × ${weeks} weeks, ${itemCount} synthetic items, ` +
    `${product.signupsPerDay} signups/day, κ = ${knobs.kappa} until the prior is estimated, ` +
    `α = ${knobs.alpha}, ` +
    `${knobs.funnelWeights ? "funnel" : "equal"} stage weights (mean ± sd over seeds)`,
);
console.log(line(header));
console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const r of rows) console.log(line(r));
const ratio = (a: string, b: string) => {
  const x = summarize((totals.get(a) ?? []).map((t) => t.capturedLift)).mean;
  const y = summarize((totals.get(b) ?? []).map((t) => t.capturedLift)).mean;
  return (x / y).toFixed(2);
};
console.log(
  `shiploop ÷ ICE (mean captured lift): ${ratio("shiploop", "ice")}×; ` +
    `shiploop ÷ random: ${ratio("shiploop", "random")}×; ${seconds.toFixed(1)} s`,
);
