import type { Command } from "commander";
import { createLogger } from "../log/create-logger.js";
import { safeUrl } from "../queue/redis-connection.js";
import { startWorker, stopWorker } from "../queue/start-worker.js";
import { describeModes } from "../runtime/choose-ports.js";
import { createRuntime } from "../runtime/create-runtime.js";
import { loadConfig } from "./load-config.js";
import { runAction } from "./run-action.js";

export function registerWorker(program: Command): void {
  program
    .command("worker")
    .description("run the worker: weekly scheduler and the cycle's jobs (npm start)")
    .action(
      runAction(async () => {
        const config = loadConfig();
        const logger = createLogger({ level: config.logLevel, secrets: config.secrets });
        const runtime = createRuntime(config, logger);
        logger.info(
          {
            modes: describeModes(runtime.ports),
            redis: safeUrl(config.redisUrl),
            prefix: config.prefix,
            schedule: config.schedule,
            tz: config.tz,
            windowMs: config.windowMs,
            backlogDir: config.backlogDir,
          },
          "shiploop worker starting",
        );
        const worker = startWorker(runtime.context, runtime.redis);
        let stopping = false;
        const stop = async (signal: string) => {
          if (stopping) return;
          stopping = true;
          logger.info({ signal }, "shutting down: finishing or handing back the current jobs");
          const outcome = await stopWorker(worker, config.shutdownMs);
          await runtime.close();
          logger.info({ outcome }, "worker stopped");
          logger.flush();
          process.exit(0);
        };
        process.on("SIGINT", () => void stop("SIGINT"));
        process.on("SIGTERM", () => void stop("SIGTERM"));
        await runtime.context.queue.upsertSchedule(config.schedule, config.tz);
        const next = await runtime.context.queue.nextKickoff();
        logger.info({ nextKickoff: next?.toISOString() }, "weekly kickoff scheduled");
        // Keep running until a signal arrives.
        await new Promise<never>(() => {});
        return 0;
      }),
    );
}
