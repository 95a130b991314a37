import type { Command } from "commander";
import { formatBacklogError } from "../backlog/backlog-error.js";
import { pqlKeys } from "../pql/pql-keys.js";
import { pqlReport } from "../pql/pql-report.js";
import { pqlSettingsOf } from "../pql/pql-settings.js";
import { readRulesDir } from "../pql/read-rules-dir.js";
import { validateRules } from "../pql/validate-rules.js";
import { connectRedisOnce } from "../queue/redis-connection.js";
import { loadConfig } from "./load-config.js";
import { runAction } from "./run-action.js";

export function registerPqlReport(program: Command): void {
  program
    .command("pql-report")
    .description("each PQL rule's volume and conversion to a paid subscription")
    .option("--json", "print the report as JSON")
    .action(
      runAction(async (options: { json?: boolean }) => {
        const config = loadConfig();
        const settings = pqlSettingsOf(config);
        const { rules, errors } = validateRules(await readRulesDir(settings.pqlDir));
        const redis = await connectRedisOnce(config.redisUrl);
        try {
          const report = await pqlReport(redis, pqlKeys(config.prefix), rules);
          if (options.json) {
            process.stdout.write(
              `${JSON.stringify({ rules: report, invalidRuleFiles: errors }, null, 2)}\n`,
            );
            return;
          }
          process.stdout.write(
            "rule                  level     qualified  converted  conversion  median days\n",
          );
          for (const r of report) {
            const conversion = r.conversion === null ? "—" : `${(r.conversion * 100).toFixed(1)} %`;
            process.stdout.write(
              `${r.rule.padEnd(21)} ${(r.level ?? "?").padEnd(9)} ${String(r.qualified).padStart(9)}  ${String(r.converted).padStart(9)}  ${conversion.padStart(10)}  ${r.medianDaysToConvert === null ? "—" : r.medianDaysToConvert.toFixed(1)}\n`,
            );
          }
          for (const error of errors) {
            process.stderr.write(`rule skipped: ${formatBacklogError(error)}\n`);
          }
        } finally {
          redis.disconnect();
        }
      }),
    );
}
