import type { ScoredItem } from "./score-backlog.js";

const WIDTHS = [3, 34, 12, 6, 5, 7, 6, 5, 5, 8];
const HEADER = ["#", "id", "stage", "lift", "conf", "calib", "weight", "reach", "days", "EV"];

/**
 * The ranking as a terminal table: every factor of the score on one line, the why line under
 * it. `lift` is the author's relative lift, `calib` the learned multiplier on lift × conf,
 * `days` the effort after learned effort accuracy, EV the expected value.
 */
export function formatRanking(scored: readonly ScoredItem[]): string {
  const lines = [row(HEADER)];
  for (const s of scored) {
    const f = s.factors;
    lines.push(
      row([
        s.rank === null ? "–" : String(s.rank),
        s.id,
        s.stage,
        `${round(f.relativeLift * 100, 1)}%`,
        f.confidence.toFixed(2),
        `×${f.liftCalibration.toFixed(2)}`,
        f.stageWeight.toFixed(2),
        f.reach.toFixed(2),
        round(f.calibratedEffort, 1),
        s.expectedValue.toFixed(4),
      ]),
    );
    lines.push(`    ${s.why}`);
  }
  return `${lines.join("\n")}\n`;
}

function row(cells: string[]): string {
  return cells
    .map((cell, i) => {
      const width = WIDTHS[i] ?? 0;
      // Text columns (id, stage) are left-aligned, numbers right-aligned.
      return i === 1 || i === 2 ? cell.padEnd(width) : cell.padStart(width);
    })
    .join(" ")
    .trimEnd();
}

const round = (x: number, digits: number) => String(Number(x.toFixed(digits)));
