import type { Command } from "commander";
import { pqlKeys } from "../pql/pql-keys.js";
import { listLeads } from "../pql/pql-report.js";
import { connectRedisOnce } from "../queue/redis-connection.js";
import { loadConfig } from "./load-config.js";
import { runAction } from "./run-action.js";

export function registerLeads(program: Command): void {
  program
    .command("leads")
    .description("product-qualified leads routed so far (pushed, pending, failed), newest first")
    .option("--json", "print the leads as JSON")
    .option("--limit <n>", "how many leads", "50")
    .action(
      runAction(async (options: { json?: boolean; limit: string }) => {
        const config = loadConfig();
        const redis = await connectRedisOnce(config.redisUrl);
        try {
          const rows = await listLeads(
            redis,
            pqlKeys(config.prefix),
            Math.max(1, Number(options.limit) || 50),
          );
          if (options.json) {
            process.stdout.write(
              `${JSON.stringify({ mode: config.hubspotAccessToken ? "live" : "sandbox", leads: rows }, null, 2)}\n`,
            );
            return;
          }
          if (rows.length === 0) {
            process.stdout.write(
              "no qualified leads yet (events go to POST /events; rules live in pql/)\n",
            );
            return;
          }
          for (const row of rows) {
            const q = row.qualification;
            const who = q.level === "account" ? `account ${q.subject}` : q.subject;
            const detail =
              row.state === "failed"
                ? `FAILED: ${row.failure?.reason}`
                : row.state === "pending"
                  ? "waiting for the CRM"
                  : row.lead?.mode === "sandbox"
                    ? "sandbox"
                    : `HubSpot note ${row.lead?.noteId}`;
            process.stdout.write(
              `${new Date(q.qualifiedAt).toISOString()}  ${row.state.padEnd(7)} ${q.rule.padEnd(20)} score ${String(q.score).padStart(3)}  ${who.padEnd(24)} ${q.events.map((e) => e.event).join(", ")}  — ${detail}\n`,
            );
          }
        } finally {
          redis.disconnect();
        }
      }),
    );
}
