import type { Command } from "commander";
import { readBacklogDir } from "../adapters/files/read-backlog-dir.js";
import { formatBacklogError } from "../backlog/backlog-error.js";
import { validateBacklog } from "../backlog/validate-backlog.js";
import { checkRulesDir, type RulesDirReport } from "../pql/check-rules-dir.js";
import { loadConfig } from "./load-config.js";
import { EXIT_OK, EXIT_USER_ERROR, runAction } from "./run-action.js";

export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description(
      "check every backlog file and PQL rule file; list the valid ones and explain each error",
    )
    .argument("[dir]", "backlog directory (default: SHIPLOOP_BACKLOG_DIR or ./experiments)")
    .option("--json", "print the report as JSON")
    .action(
      runAction(async (dir: string | undefined, options: { json?: boolean }) => {
        // Settings are checked even when the directory is given: a bad one is reported at once.
        const config = loadConfig();
        const backlogDir = dir ?? config.backlogDir;
        const backlog = validateBacklog(await readBacklogDir(backlogDir));
        const pql = await checkRulesDir(config.pqlDir);
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
            pql: {
              dir: pql.dir,
              rules: pql.rules.map((r) => ({
                id: r.id,
                title: r.title,
                level: r.level,
                score: r.score,
              })),
              errors: pql.errors,
              ignored: pql.ignored,
              missing: pql.missing,
              ...(pql.problem ? { problem: pql.problem } : {}),
            },
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
          writeRulesReport(pql);
        }
        const bad = backlog.errors.length > 0 || pql.errors.length > 0 || pql.problem;
        return bad ? EXIT_USER_ERROR : EXIT_OK;
      }),
    );
}

function writeRulesReport(pql: RulesDirReport): void {
  if (pql.problem) {
    process.stdout.write(`error ${pql.problem}\n`);
    return;
  }
  if (pql.missing) {
    process.stdout.write(`no PQL rules: ${pql.dir} does not exist\n`);
    return;
  }
  for (const rule of pql.rules) {
    process.stdout.write(
      `ok    ${rule.id.padEnd(34)} ${`${rule.level} rule`.padEnd(12)} ${`score ${rule.score}`.padEnd(12)} ${rule.title}\n`,
    );
  }
  for (const error of pql.errors) process.stdout.write(`error ${formatBacklogError(error)}\n`);
  const badFiles = new Set(pql.errors.map((e) => e.file)).size;
  process.stdout.write(
    `${pql.rules.length} valid PQL rule(s), ${badFiles} file(s) with errors, ` +
      `${pql.ignored.length} non-YAML file(s) ignored in ${pql.dir}\n`,
  );
}
