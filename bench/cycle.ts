/**
 * 200 sandbox cycles through the real queue, ledger and jobs against the local Redis, with a
 * compressed window. Prints cycles/s, Redis commands per cycle (from INFO commandstats deltas)
 * and the worker's RSS. Run: npm run bench:cycle  (REDIS_URL to use another Redis)
 */
import { pino } from "pino";
import type { CycleContext } from "../jobs/cycle-context.js";
import { LogTelemetry } from "../src/adapters/posthog/posthog-telemetry.js";
import { SandboxCodeHost } from "../src/adapters/sandbox/sandbox-code-host.js";
import { SandboxFlagStore } from "../src/adapters/sandbox/sandbox-flag-store.js";
import { SandboxMetrics } from "../src/adapters/sandbox/sandbox-metrics.js";
import { buildConfig } from "../src/config/config.js";
import { Ledger } from "../src/ledger/ledger.js";
import { CycleQueue } from "../src/queue/cycle-queue.js";
import { startWorker } from "../src/queue/start-worker.js";
import { backlogPlanner } from "../src/runtime/backlog-planner.js";
import { backlogDir, item, pullRequestShip } from "../test/support/backlog-dir.js";
import { removePrefix, testRedis, uniquePrefix } from "../test/support/redis.js";

const CYCLES = Number(process.env.CYCLES ?? 200);
const WINDOW = process.env.WINDOW ?? "1s";

async function commandCalls(redis: ReturnType<typeof testRedis>): Promise<number> {
  const info = await redis.info("commandstats");
  return [...info.matchAll(/calls=(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
}

async function main(): Promise<void> {
  const items = Array.from({ length: CYCLES }, (_, i) =>
    item(`bench-${i}`, i % 4 === 0 ? { ship: pullRequestShip(`bench-${i}`) } : {}),
  );
  const backlog = backlogDir(items);
  const prefix = uniquePrefix("bench");
  const redis = testRedis();
  const probe = testRedis();
  const config = buildConfig({
    SHIPLOOP_PREFIX: prefix,
    SHIPLOOP_BACKLOG_DIR: backlog.dir,
    SHIPLOOP_WINDOW: WINDOW,
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
  });
  const ledger = new Ledger(redis, prefix);
  const ctx: CycleContext = {
    config,
    ledger,
    queue: new CycleQueue(redis, prefix),
    codeHost: new SandboxCodeHost(redis, prefix, 50),
    flags: new SandboxFlagStore(redis, prefix),
    metrics: new SandboxMetrics(3000),
    telemetry: new LogTelemetry(pino({ level: "silent" })),
    planner: backlogPlanner(backlog.dir, ledger, async () => undefined),
    now: () => new Date(),
    logger: pino({ level: "silent" }),
  };
  const worker = startWorker(ctx, redis);
  await worker.waitUntilReady();
  const callsBefore = await commandCalls(probe);
  const started = performance.now();
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);

  // Distinct ISO weeks, kicked all at once: each picks the best item whose surface is free.
  for (let i = 0; i < CYCLES; i++) {
    const year = 2000 + Math.floor(i / 50);
    await ctx.queue.kickoff(`${year}-W${String((i % 50) + 1).padStart(2, "0")}`);
  }
  // Poll with the probe connection and count the polls, so they can be taken out of the figure.
  let polls = 0;
  while ((await probe.hlen(ledger.keys.observations)) < CYCLES) {
    polls++;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const seconds = (performance.now() - started) / 1000;
  // Minus the probe's own commands: its polls, the final HLEN and this INFO.
  const calls = (await commandCalls(probe)) - callsBefore - polls - 2;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);

  const decided = await ledger.listDecided(CYCLES);
  const decisions = decided.reduce<Record<string, number>>((acc, e) => {
    const d = e.verdict?.decision ?? "none";
    acc[d] = (acc[d] ?? 0) + 1;
    return acc;
  }, {});
  console.log(
    `cycles                 ${CYCLES} (window ${WINDOW}; ${CYCLES / 4} via pull request)`,
  );
  console.log(
    `wall time              ${seconds.toFixed(2)} s (bounded below by the window: ${WINDOW})`,
  );
  console.log(`cycles/s               ${(CYCLES / seconds).toFixed(1)}`);
  console.log(
    `redis commands/cycle   ${(calls / CYCLES).toFixed(1)} (server-side, incl. commands inside Lua scripts and BullMQ's own)`,
  );
  console.log(`worker peak RSS        ${(peakRss / 1024 / 1024).toFixed(1)} MiB`);
  console.log(`decisions              ${JSON.stringify(decisions)}`);

  await worker.close();
  await ctx.queue.queue.obliterate({ force: true });
  await ctx.queue.close();
  await removePrefix(probe, prefix);
  redis.disconnect();
  probe.disconnect();
  backlog.remove();
}

await main();
