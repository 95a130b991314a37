import type { Command } from "commander";
import { UserError } from "../domain/errors.js";
import { isIsoWeek, isoWeekOf } from "../domain/iso-week.js";
import { loadConfig } from "./load-config.js";
import { withLedger } from "./open-ledger.js";
import { runAction } from "./run-action.js";

export function registerKick(program: Command): void {
  program
    .command("kick")
    .description("start a week's cycle now; a week runs once, however often it is kicked")
    .option("--week <YYYY-Www>", "the ISO week to run (default: this week in SHIPLOOP_TZ)")
    .action(
      runAction(async (options: { week?: string }) => {
        const config = loadConfig();
        const week = options.week ?? isoWeekOf(new Date(), config.tz);
        if (!isIsoWeek(week)) {
          throw new UserError(
            "bad-week",
            `--week "${week}" is not an ISO week; expected YYYY-Www, e.g. 2026-W49`,
          );
        }
        await withLedger(config, async ({ ledger, queue }) => {
          const existing = await ledger.getWeek(week);
          const job = await queue.kickoff(week);
          const state = await job.getState();
          const note = existing?.experimentId
            ? `; the week already runs ${existing.experimentId}`
            : "";
          process.stdout.write(`kickoff for ${week} queued as job ${job.id} (${state})${note}\n`);
        });
        return 0;
      }),
    );
}
