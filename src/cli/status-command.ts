import type { Command } from "commander";
import { FINAL_STATUSES } from "../domain/experiment.js";
import { isoWeekOf } from "../domain/iso-week.js";
import { portModes } from "../runtime/choose-ports.js";
import { loadConfig } from "./load-config.js";
import { withLedger } from "./open-ledger.js";
import { runAction } from "./run-action.js";

export function registerStatus(program: Command): void {
  program
    .command("status")
    .description("current week, live experiments, next kickoff time, queue counts")
    .option("--json", "print as JSON")
    .action(
      runAction(async (options: { json?: boolean }) => {
        const config = loadConfig();
        const status = await withLedger(config, async ({ ledger, queue }) => {
          const [experiments, nextKickoff, counts, meta] = await Promise.all([
            ledger.listExperiments({ newestFirst: true, limit: 200 }),
            queue.nextKickoff(),
            queue.queue.getJobCounts("waiting", "active", "delayed", "completed", "failed"),
            ledger.getMeta(),
          ]);
          const live = experiments
            .filter((e) => !FINAL_STATUSES.has(e.status))
            .map((e) => ({
              id: e.id,
              status: e.status,
              surface: e.item.surface,
              title: e.item.title,
              measuringSince: e.measuringSince ?? null,
              verdictDueAt: e.verdictDueAt ?? null,
              verdictDelayed: e.verdictDelayed ?? null,
            }));
          return {
            week: isoWeekOf(new Date(), config.tz),
            prefix: config.prefix,
            modes: portModes(config),
            schedule: {
              cron: config.schedule,
              tz: config.tz,
              nextKickoff: nextKickoff?.toISOString() ?? null,
            },
            lastKickoff: meta.lastKickoffAt ?? null,
            live,
            queue: counts,
          };
        });
        if (options.json) {
          process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
          return 0;
        }
        const lines = [
          `week            ${status.week}   (prefix ${status.prefix})`,
          `modes           github ${status.modes.github}, statsig ${status.modes.statsig}, metrics ${status.modes.metrics}, telemetry ${status.modes.telemetry}`,
          `next kickoff    ${status.schedule.nextKickoff ?? "not scheduled (is a worker running?)"}  [${status.schedule.cron} ${status.schedule.tz}]`,
          `last kickoff    ${status.lastKickoff ?? "never"}`,
          `queue           ${Object.entries(status.queue)
            .map(([k, v]) => `${k} ${v}`)
            .join(", ")}`,
          `live            ${status.live.length === 0 ? "none" : ""}`,
          ...status.live.flatMap((e) => [
            `  ${e.id}  ${e.status}  ${e.surface}${e.verdictDueAt ? `  verdict due ${e.verdictDueAt}` : ""}`,
            ...(e.verdictDelayed
              ? [
                  `    verdict overdue (${e.verdictDelayed.rounds} failed round(s)): ${e.verdictDelayed.reason}; next try ${e.verdictDelayed.retryAt}`,
                ]
              : []),
          ]),
        ];
        process.stdout.write(`${lines.join("\n")}\n`);
        return 0;
      }),
    );
}
