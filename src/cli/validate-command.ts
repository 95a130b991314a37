import type { Command } from "commander";
import { readBacklogDir } from "../adapters/files/read-backlog-dir.js";
import { formatBacklogError } from "../backlog/backlog-error.js";
import { validateBacklog } from "../backlog/validate-backlog.js";
import { loadConfig } from "./load-config.js";
import { EXIT_OK, EXIT_USER_ERROR, runAction } from "./run-action.js";

export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description("check every backlog file; list the valid items and explain each error")
    .argument("[dir]", "backlog directory (default: SHIPLOOP_BACKLOG_DIR or ./experiments)")
    .option("--json", "print the report as JSON")
    .action(
      runAction(async (dir: string | undefined, options: { json?: boolean }) => {
        // Settings are checked even when the directory is given: a bad one is reported at once.
        const config = loadConfig();
        const backlogDir = dir ?? config.backlogDir;
        const backlog = validateBacklog(await readBacklogDir(backlogDir));
        if (options.json) {
          const items = backlog.items.map((i) => ({
            id: i.id,
            title: i.title,
            stage: i.stage,
            surface: i.surface,
            kind: i.ship.kind,
          }));
          const report = {
            dir: backlogDir,
            items,
            errors: backlog.errors,
            ignored: backlog.ignored,
          };
          process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        } else {
          for (const item of backlog.items) {
            process.stdout.write(
              `ok    ${item.id.padEnd(34)} ${item.stage.padEnd(12)} ${item.ship.kind.padEnd(12)} ${item.title}\n`,
            );
          }
          for (const error of backlog.errors)
            process.stdout.write(`error ${formatBacklogError(error)}\n`);
          const badFiles = new Set(backlog.errors.map((e) => e.file)).size;
          process.stdout.write(
            `${backlog.items.length} valid item(s), ${badFiles} file(s) with errors, ` +
              `${backlog.ignored.length} non-YAML file(s) ignored in ${backlogDir}\n`,
          );
        }
        return backlog.errors.length > 0 ? EXIT_USER_ERROR : EXIT_OK;
      }),
    );
}
