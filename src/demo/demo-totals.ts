import type { StrategyRun } from "./run-strategy.js";
import type { StrategyName } from "./strategies.js";
import { WIN_THRESHOLD } from "./synthetic-backlog.js";

export interface StrategyTotals {
  strategy: StrategyName;
  /** Growth of the bottom line: Π over kept changes of (1 + true lift × reach), minus 1. */
  capturedLift: number;
  /** capturedLift ÷ the oracle's; `null` when the oracle captured nothing. */
  oracleRatio: number | null;
  tested: number;
  kept: number;
  /** Kept changes whose true effect is ≤ 0. */
  falseShips: number;
  /** falseShips ÷ kept; `null` when nothing was kept. */
  falseShipRate: number | null;
  /** Winners (true lift ≥ WIN_THRESHOLD) among the tested items. */
  winnersTested: number;
  winnersKept: number;
  /** Tested winners not kept ÷ tested winners; `null` when no winner was tested. */
  missedWinRate: number | null;
  /** Week the first winner was kept; `null` when none was. */
  weeksToFirstWinner: number | null;
  earlyRollbacks: number;
}

/** Totals of one run; `oracle` is the captured lift of the oracle on the same world. */
export function totalsOf(run: StrategyRun, oracle: number): StrategyTotals {
  const tested = run.weeks.filter((w) => w.itemId !== null);
  const kept = tested.filter((w) => w.kept);
  const falseShips = kept.filter((w) => (w.trueEffect ?? 0) <= 0).length;
  const winners = tested.filter((w) => (w.trueEffect ?? 0) >= WIN_THRESHOLD);
  const winnersKept = winners.filter((w) => w.kept).length;
  const firstWinner = kept.find((w) => (w.trueEffect ?? 0) >= WIN_THRESHOLD);
  return {
    strategy: run.strategy,
    capturedLift: run.capturedLift,
    oracleRatio: oracle > 0 ? run.capturedLift / oracle : null,
    tested: tested.length,
    kept: kept.length,
    falseShips,
    falseShipRate: kept.length > 0 ? falseShips / kept.length : null,
    winnersTested: winners.length,
    winnersKept,
    missedWinRate: winners.length > 0 ? (winners.length - winnersKept) / winners.length : null,
    weeksToFirstWinner: firstWinner ? firstWinner.week : null,
    earlyRollbacks: tested.filter((w) => w.decision === "rollback" && (w.decidedOnDay ?? 99) < 7)
      .length,
  };
}
