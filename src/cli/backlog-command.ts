import type { Command } from "commander";
import { readBacklogDir } from "../adapters/files/read-backlog-dir.js";
import { diagnoseEventsFile } from "../adapters/files/read-events-file.js";
import { formatBacklogError } from "../backlog/backlog-error.js";
import { formatRanking } from "../backlog/format-ranking.js";
import { rankBacklog } from "../backlog/rank-backlog.js";
import { validateBacklog } from "../backlog/validate-backlog.js";
import type { Config } from "../config/config.js";
import type { DiagnoseSettings } from "../diagnose/diagnose-settings.js";
import { EQUAL_STAGE_WEIGHTS } from "../diagnose/stage-weights.js";
import type { FunnelSnapshot } from "../domain/funnel-snapshot.js";
import type { VerdictObservation } from "../domain/verdict-observation.js";
import { diagnoseSettingsOf } from "./diagnose-command.js";
import { loadConfig } from "./load-config.js";
import { runAction } from "./run-action.js";

export interface LiveState {
  liveSurfaces: Set<string>;
  shippedIds: Set<string>;
  blockedIds: Set<string>;
}

export interface BacklogDeps {
  /** Every verdict so far (the ledger's observations); priors are recomputed from them. */
  loadObservations(config: Config): Promise<VerdictObservation[]>;
  /** What is live, already ran or is blocked; without it nothing is excluded (and a note says so). */
  loadLiveState?(config: Config): Promise<LiveState>;
  /** The funnel that weights the stages; default: diagnose `eventsFile` when configured, else none. */
  loadSnapshot?(config: Config): Promise<FunnelSnapshot | undefined>;
  diagnoseSettings?(config: Config): DiagnoseSettings;
  loadConfig?(): Config;
  stdout?(text: string): void;
  stderr?(text: string): void;
}

/** `shiploop backlog [--json]`: every backlog item ranked, with each factor and a why line. */
export function registerBacklog(program: Command, deps: BacklogDeps): void {
  program
    .command("backlog")
    .description("rank the backlog with every factor of each item's score and why")
    .option("--json", "print the ranking as JSON")
    .action(
      runAction(async (options: { json?: boolean }) => {
        const out = deps.stdout ?? ((text: string) => process.stdout.write(text));
        const err = deps.stderr ?? ((text: string) => process.stderr.write(text));
        const config = (deps.loadConfig ?? loadConfig)();
        const backlog = validateBacklog(await readBacklogDir(config.backlogDir));
        const loadSnapshot =
          deps.loadSnapshot ??
          (async (c: Config) =>
            c.eventsFile
              ? diagnoseEventsFile(
                  c.eventsFile,
                  deps.diagnoseSettings?.(c) ?? diagnoseSettingsOf(c),
                  c.events,
                )
              : undefined);
        const [observations, live, snapshot] = await Promise.all([
          deps.loadObservations(config),
          deps.loadLiveState?.(config),
          loadSnapshot(config),
        ]);
        if (!live) {
          err(
            "note: live state unknown; no item is excluded for a live surface, a past run or a block\n",
          );
        }
        const scored = rankBacklog(backlog.items, {
          snapshot,
          observations,
          liveSurfaces: live?.liveSurfaces ?? new Set(),
          shippedIds: live?.shippedIds ?? new Set(),
          blockedIds: live?.blockedIds ?? new Set(),
        });
        const weights = snapshot
          ? `stage weights from the funnel as of ${snapshot.asOf?.slice(0, 10) ?? "–"}` +
            (snapshot.weakestStage ? ` (weakest: ${snapshot.weakestStage})` : "")
          : "all stages weighted 1: no events file configured (SHIPLOOP_EVENTS_FILE)";

        if (options.json) {
          const report = {
            dir: config.backlogDir,
            weights: {
              source: snapshot ? "funnel" : "equal",
              asOf: snapshot?.asOf ?? null,
              weakestStage: snapshot?.weakestStage ?? null,
              stageWeights: snapshot?.stageWeights ?? EQUAL_STAGE_WEIGHTS,
            },
            verdictsLearned: observations.length,
            items: scored.map(({ item, ...rest }) => ({ ...rest, title: item.title })),
            errors: backlog.errors,
          };
          out(`${JSON.stringify(report, null, 2)}\n`);
        } else {
          const eligible = scored.filter((s) => s.eligible).length;
          out(
            `Backlog ${config.backlogDir}: ${weights}; ${observations.length} verdict(s) learned from\n`,
          );
          out(formatRanking(scored));
          out(`${eligible} eligible, ${scored.length - eligible} not eligible\n`);
        }
        if (backlog.errors.length > 0) {
          for (const error of backlog.errors) err(`skipped: ${formatBacklogError(error)}\n`);
          err(
            `${new Set(backlog.errors.map((e) => e.file)).size} invalid file(s) left out; run \`shiploop validate\`\n`,
          );
        }
        return 0;
      }),
    );
}
