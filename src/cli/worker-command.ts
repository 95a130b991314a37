import type { Command } from "commander";
import { mountedRoutes } from "../http/mounted-routes.js";
import { type StatusServer, startStatusServer } from "../http/status-server.js";
import { cachedFor } from "../http/with-timeout.js";
import { createLogger } from "../log/create-logger.js";
import { startPqlRouting } from "../pql/start-pql-routing.js";
import { safeUrl } from "../queue/redis-connection.js";
import { startWorker, stopWorker } from "../queue/start-worker.js";
import { describeModes } from "../runtime/choose-ports.js";
import { createRuntime } from "../runtime/create-runtime.js";
import { loadConfig } from "./load-config.js";
import { runAction } from "./run-action.js";

/** The status page re-reads the funnel (which may mean a large events file) at most this often. */
const FUNNEL_REFRESH_MS = 10 * 60_000;
/** Time for closing connections after the running jobs had their `SHIPLOOP_SHUTDOWN_TIMEOUT`. */
const SHUTDOWN_GRACE_MS = 2_000;

export function registerWorker(program: Command): void {
  program
    .command("worker")
    .description(
      "run the worker: weekly scheduler, the cycle's jobs and the status server (npm start)",
    )
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
        // PQL routing first: a bad rules file or dir is logged and routing runs without it, but
        // should routing fail to start at all, nothing else has started either, and the process
        // ends with the reason instead of running without a schedule.
        const pql = await startPqlRouting(config, runtime.redis, logger, {
          isRedisDown: runtime.connector.isDown,
        }).catch(async (error: unknown) => {
          await runtime.close();
          throw error;
        });
        const worker = startWorker(runtime.context, runtime.redis, runtime.connector.isDown);
        let server: StatusServer | undefined;
        let stopping = false;
        const stop = async (signal: string) => {
          if (stopping) return;
          stopping = true;
          logger.info({ signal }, "shutting down: finishing or handing back the current jobs");
          // Closing waits on Redis; if Redis is gone too, nothing would ever answer. The jobs are
          // safe in Redis either way (an unfinished one is taken over when its lock expires).
          setTimeout(() => {
            logger.warn(
              { afterMs: config.shutdownMs + SHUTDOWN_GRACE_MS },
              "shutdown deadline reached; exiting",
            );
            logger.flush();
            process.exit(0);
          }, config.shutdownMs + SHUTDOWN_GRACE_MS).unref();
          const [outcome] = await Promise.all([
            stopWorker(worker, config.shutdownMs),
            server
              ?.close()
              .catch((error: unknown) =>
                logger.warn({ err: error }, "status server did not close cleanly"),
              ),
          ]);
          await pql
            .close()
            .catch((error: unknown) =>
              logger.warn({ err: error }, "PQL routing did not close cleanly"),
            );
          await runtime.close();
          logger.info({ outcome }, "worker stopped");
          logger.flush();
          process.exit(0);
        };
        process.on("SIGINT", () => void stop("SIGINT"));
        process.on("SIGTERM", () => void stop("SIGTERM"));
        // The status server is for people watching; the worker runs on without it (a busy
        // port is logged, not fatal), so the weekly cycle never waits on a dashboard.
        try {
          server = await startStatusServer({
            config,
            redis: runtime.redis,
            ledger: runtime.context.ledger,
            queue: runtime.context.queue,
            worker,
            logger,
            funnel: cachedFor(FUNNEL_REFRESH_MS, runtime.funnel),
            routes: mountedRoutes(runtime, config),
          });
          if (stopping) await server.close();
          else
            logger.info(
              { url: server.url, auth: config.httpToken ? "token" : "none" },
              `status server listening on ${server.url}`,
            );
        } catch (error) {
          logger.error(
            { err: error },
            `status server not started: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
        await runtime.context.queue.upsertSchedule(config.schedule, config.tz);
        const next = await runtime.context.queue.nextKickoff();
        logger.info({ nextKickoff: next?.toISOString() }, "weekly kickoff scheduled");
        // Keep running until a signal arrives.
        await new Promise<never>(() => {});
        return 0;
      }),
    );
}
