import type { Command } from "commander";
import { UserError } from "../domain/errors.js";
import type { ExperimentRecord } from "../domain/experiment.js";
import { verdictComment } from "../render/verdict-comment.js";
import { loadConfig } from "./load-config.js";
import { withLedger } from "./open-ledger.js";
import { runAction } from "./run-action.js";

export function registerVerdicts(program: Command): void {
  program
    .command("verdicts")
    .description("past verdicts, newest first")
    .option("--json", "print as JSON")
    .action(
      runAction(async (options: { json?: boolean }) => {
        const decided = await withLedger(loadConfig(), ({ ledger }) => ledger.listDecided(500));
        if (options.json) {
          const rows = decided.map((e) => ({
            id: e.id,
            week: e.week,
            itemId: e.itemId,
            status: e.status,
            verdict: e.verdict,
          }));
          process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
          return 0;
        }
        if (decided.length === 0) process.stdout.write("no verdicts yet\n");
        for (const e of decided) process.stdout.write(`${verdictLine(e)}\n`);
        return 0;
      }),
    );

  program
    .command("verdict")
    .description("one experiment's verdict in full (experiment id, or item id for its latest)")
    .argument("<id>", "experiment id (2026-W49--item-id) or item id")
    .action(
      runAction(async (id: string) => {
        const experiment = await withLedger(loadConfig(), async ({ ledger }) => {
          const exact = await ledger.getExperiment(id);
          if (exact) return exact;
          const all = await ledger.listExperiments({ newestFirst: true, limit: 100_000 });
          return all.find((e) => e.itemId === id);
        });
        if (!experiment)
          throw new UserError("unknown-experiment", `no experiment or item "${id}" in the ledger`);
        if (!experiment.verdict) {
          process.stdout.write(
            `${experiment.id}: ${experiment.status}, no verdict yet${experiment.verdictDueAt ? ` (due ${experiment.verdictDueAt})` : ""}\n`,
          );
          return 0;
        }
        process.stdout.write(
          `${experiment.id} (${experiment.status})\n\n${verdictComment(experiment, experiment.verdict)}\n`,
        );
        return 0;
      }),
    );
}

function verdictLine(e: ExperimentRecord): string {
  const v = e.verdict;
  if (!v) return `${e.id}  ${e.status}`;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const decision = v.early ? `${v.decision} (early)` : v.decision;
  return [
    v.decidedAt.slice(0, 10),
    e.week,
    e.itemId.padEnd(34),
    decision.padEnd(18),
    `lift ${pct(v.primary.relativeLift)} [${pct(v.primary.ci[0])}, ${pct(v.primary.ci[1])}]`,
    v.applied,
  ].join("  ");
}
