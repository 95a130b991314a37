import type { DemoResult } from "./run-demo.js";
import type { WeekRow } from "./run-strategy.js";
import { STRATEGIES } from "./strategies.js";

/** The demo as text: shiploop's weeks one line each, then every strategy's totals. */
export function formatDemo(result: DemoResult): string {
  const lines: string[] = [];
  const source = result.backlog === "given" ? "the given backlog" : "a synthetic backlog";
  lines.push(
    `shiploop demo: seed ${result.seed}, ${result.weeks} weeks, ${result.items} items from ${source}`,
    "",
    "shiploop, week by week (true effect = relative lift among reached users; * = kept):",
  );
  const header = ["week", "item", "stage", "true", "measured", "interval", "verdict", "captured"];
  const rows = result.runs.shiploop.weeks.map(weekCells);
  lines.push(...table(header, rows), "", "totals on the same world:");
  const totalsHeader = [
    "strategy",
    "captured lift",
    "of oracle",
    "tested",
    "kept",
    "false ships",
    "missed wins",
    "1st winner",
  ];
  const totals = STRATEGIES.map((s) => {
    const t = result.totals[s];
    return [
      s,
      signedPercent(t.capturedLift),
      t.oracleRatio === null ? "–" : percent(t.oracleRatio),
      String(t.tested),
      String(t.kept),
      `${t.falseShips}${t.falseShipRate === null ? "" : ` (${percent(t.falseShipRate)})`}`,
      t.missedWinRate === null
        ? "–"
        : `${t.winnersTested - t.winnersKept}/${t.winnersTested} (${percent(t.missedWinRate)})`,
      t.weeksToFirstWinner === null ? "none" : `week ${t.weeksToFirstWinner}`,
    ];
  });
  lines.push(...table(totalsHeader, totals));
  lines.push(
    "",
    "captured lift: growth of the funnel's bottom line, Π (1 + true lift × reach) over kept changes;",
    "false ships: kept with true effect ≤ 0; missed wins: tested winners (true lift ≥ 1 %) not kept.",
  );
  return `${lines.join("\n")}\n`;
}

function weekCells(w: WeekRow): string[] {
  if (w.itemId === null) {
    return [String(w.week), `(idle: ${w.idleReason ?? "nothing picked"})`, "", "", "", "", "", ""];
  }
  const verdict =
    w.decision === null
      ? ""
      : `${w.kept ? "*" : ""}${w.decision}${w.decidedOnDay !== null && w.decidedOnDay < 7 ? ` (day ${w.decidedOnDay}, ${w.rule})` : ""}`;
  return [
    String(w.week),
    w.itemId,
    w.stage ?? "",
    w.trueEffect === null ? "" : signedPercent(w.trueEffect),
    w.measuredLift === null ? "" : signedPercent(w.measuredLift),
    w.ci === null ? "" : `[${signedPercent(w.ci[0])}, ${signedPercent(w.ci[1])}]`,
    verdict,
    signedPercent(w.capturedLift),
  ];
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}

function percent(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
}

function signedPercent(x: number): string {
  const text = `${(x * 100).toFixed(1)} %`;
  return x > 0 ? `+${text}` : text;
}
