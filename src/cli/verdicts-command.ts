import type { Command } from "commander";
import type { Config } from "../config/config.js";
import { UserError } from "../domain/errors.js";
import type { ExperimentRecord } from "../domain/experiment.js";
import type { Ledger } from "../ledger/ledger.js";
import { OUTCOME_LABEL, outcomeOf } from "../render/verdict-facts.js";
import {
  formatCount,
  formatInstant,
  formatInterval,
  formatLift,
  formatPValue,
  plainText,
} from "../render/verdict-format.js";
import { renderVerdictText } from "../render/verdict-text.js";
import { loadConfig } from "./load-config.js";
import { withLedger } from "./open-ledger.js";
import { runAction } from "./run-action.js";

/** What these commands read from the ledger. */
export type VerdictsLedger = Pick<Ledger, "listDecided" | "getExperiment" | "latestExperimentOf">;

export interface VerdictsDeps {
  loadConfig?(): Config;
  /** Opens the ledger for one command; default: a fresh Redis connection, closed afterwards. */
  withLedger?<T>(config: Config, use: (ledger: VerdictsLedger) => Promise<T>): Promise<T>;
  stdout?(text: string): void;
}

/** `shiploop verdicts [--json]` (newest first) and `shiploop verdict <id>` (one in full). */
export function registerVerdicts(program: Command, deps: VerdictsDeps = {}): void {
  const out = (text: string) => (deps.stdout ?? ((t: string) => process.stdout.write(t)))(text);
  const useLedger = <T>(use: (ledger: VerdictsLedger) => Promise<T>): Promise<T> => {
    const config = (deps.loadConfig ?? loadConfig)();
    return deps.withLedger
      ? deps.withLedger(config, use)
      : withLedger(config, ({ ledger }) => use(ledger));
  };

  program
    .command("verdicts")
    .description("past verdicts, newest first")
    .option("--json", "print as JSON")
    .action(
      runAction(async (options: { json?: boolean }) => {
        const decided = await useLedger((ledger) => ledger.listDecided(500));
        if (options.json) {
          const rows = decided.map((e) => ({
            id: e.id,
            week: e.week,
            itemId: e.itemId,
            title: e.item.title,
            status: e.status,
            ship: e.ship ?? null,
            measuringSince: e.measuringSince ?? null,
            verdictDueAt: e.verdictDueAt ?? null,
            verdict: e.verdict,
          }));
          out(`${JSON.stringify(rows, null, 2)}\n`);
          return 0;
        }
        if (decided.length === 0) {
          out("no verdicts yet (a verdict comes at the end of an experiment's window)\n");
          return 0;
        }
        out(formatVerdictTable(decided));
        return 0;
      }),
    );

  program
    .command("verdict")
    .description("one experiment's verdict in full (experiment id, or item id for its latest)")
    .argument("<id>", "experiment id (2026-W49--item-id) or item id")
    .action(
      runAction(async (id: string) => {
        const experiment = await useLedger(async (ledger) => {
          return (await ledger.getExperiment(id)) ?? (await ledger.latestExperimentOf(id));
        });
        if (!experiment)
          throw new UserError(
            "unknown-experiment",
            `no experiment or item "${plainText(id)}" in the ledger; \`shiploop verdicts\` lists them`,
          );
        if (!experiment.verdict) {
          const due = experiment.verdictDueAt
            ? ` (due ${formatInstant(experiment.verdictDueAt)})`
            : "";
          out(`${experiment.id}: ${experiment.status}, no verdict yet${due}\n`);
          const delayed = experiment.verdictDelayed;
          if (delayed)
            out(
              `verdict overdue after ${delayed.rounds} failed round(s): ${plainText(delayed.reason)}; next try ${formatInstant(delayed.retryAt)}\n`,
            );
          return 0;
        }
        out(renderVerdictText(experiment, experiment.verdict));
        return 0;
      }),
    );
}

const COLUMNS = [
  { title: "decided", width: 10 },
  { title: "week", width: 8 },
  { title: "item", width: 30 },
  { title: "decision", width: 17 },
  { title: "lift", width: 8, right: true },
  { title: "95 % CI", width: 19 },
  { title: "evidence", width: 11 },
  { title: "users", width: 7, right: true },
  { title: "applied", width: 0 },
];

/** The verdicts as an aligned table, one line each; long item ids are cut with an ellipsis. */
export function formatVerdictTable(experiments: readonly ExperimentRecord[]): string {
  const rows = experiments.map((e) => {
    const v = e.verdict;
    if (!v) return [e.id, e.week, e.itemId, e.status, "", "", "", "", ""];
    const users = v.variants.reduce((sum, variant) => sum + variant.users, 0);
    const evidence =
      v.primary.pValue !== null
        ? formatPValue(v.primary.pValue)
        : v.primary.chanceToWin !== null
          ? `P(win) ${(v.primary.chanceToWin * 100).toFixed(0)} %`
          : "–";
    const flags = [
      ...(v.srm.mismatch ? ["SRM"] : []),
      ...v.guardrails.filter((g) => g.breached).map((g) => `${g.name} breached`),
    ];
    return [
      v.decidedAt.slice(0, 10),
      e.week,
      e.itemId,
      OUTCOME_LABEL[outcomeOf(v)],
      formatLift(v.primary.relativeLift),
      formatInterval(v.primary.ci),
      evidence,
      formatCount(users),
      `${v.applied}${flags.length > 0 ? ` [${flags.join(", ")}]` : ""}`,
    ];
  });
  const line = (cells: string[]) =>
    cells
      .map((raw, i) => {
        const column = COLUMNS[i] as (typeof COLUMNS)[number];
        const cell = plainText(raw);
        if (column.width === 0) return cell;
        const fitted = cell.length > column.width ? `${cell.slice(0, column.width - 1)}…` : cell;
        return column.right ? fitted.padStart(column.width) : fitted.padEnd(column.width);
      })
      .join("  ")
      .trimEnd();
  return `${[line(COLUMNS.map((c) => c.title)), ...rows.map(line)].join("\n")}\n`;
}
