import type { Worker } from "bullmq";
import type { Redis } from "ioredis";
import { pino } from "pino";
import type { CycleContext } from "../../jobs/cycle-context.js";
import { LogTelemetry } from "../../src/adapters/posthog/posthog-telemetry.js";
import { SandboxCodeHost } from "../../src/adapters/sandbox/sandbox-code-host.js";
import { SandboxFlagStore } from "../../src/adapters/sandbox/sandbox-flag-store.js";
import { SandboxMetrics } from "../../src/adapters/sandbox/sandbox-metrics.js";
import { buildConfig } from "../../src/config/config.js";
import { Ledger } from "../../src/ledger/ledger.js";
import { CycleQueue } from "../../src/queue/cycle-queue.js";
import { startWorker, stopWorker } from "../../src/queue/start-worker.js";
import { backlogPlanner } from "../../src/runtime/backlog-planner.js";
import { REDIS_URL, removePrefix, testRedis, uniquePrefix } from "./redis.js";

export interface TestRuntime {
  ctx: CycleContext;
  redis: Redis;
  codeHost: SandboxCodeHost;
  flags: SandboxFlagStore;
  worker?: Worker;
  start(): Worker;
  close(): Promise<void>;
}

/** An in-process worker on a fresh prefix with a compressed window, for cycle tests. */
export function testRuntime(
  label: string,
  backlogDir: string,
  options: { window?: string; mergeDelayMs?: number; overrides?: Partial<CycleContext> } = {},
): TestRuntime {
  const prefix = uniquePrefix(label);
  const config = buildConfig({
    REDIS_URL,
    SHIPLOOP_PREFIX: prefix,
    SHIPLOOP_BACKLOG_DIR: backlogDir,
    SHIPLOOP_WINDOW: options.window ?? "1400ms",
    SHIPLOOP_LOCK_DURATION: "2s",
  });
  const redis = testRedis();
  const ledger = new Ledger(redis, prefix);
  const codeHost = new SandboxCodeHost(redis, prefix, options.mergeDelayMs ?? 100);
  const flags = new SandboxFlagStore(redis, prefix);
  const ctx: CycleContext = {
    config,
    ledger,
    // Two quick attempts, so a test of giving up after retries takes milliseconds.
    queue: new CycleQueue(redis, prefix, () => {}, { attempts: 2, backoffMs: 20 }),
    codeHost,
    flags,
    metrics: new SandboxMetrics(4000),
    telemetry: new LogTelemetry(pino({ level: "silent" })),
    planner: backlogPlanner(backlogDir, ledger, async () => undefined),
    now: () => new Date(),
    logger: pino({ level: "silent" }),
    ...options.overrides,
  };
  const runtime: TestRuntime = {
    ctx,
    redis,
    codeHost,
    flags,
    start() {
      runtime.worker = startWorker(ctx, redis);
      return runtime.worker;
    },
    async close() {
      // Let a running job finish (bounded) before the keys go: a job cut off by a forced close
      // keeps running in this process and would write its results after the clean-up.
      if (runtime.worker) await stopWorker(runtime.worker, 5_000);
      await ctx.queue.queue.obliterate({ force: true }).catch(() => undefined);
      await ctx.queue.close();
      await removePrefix(redis, prefix);
      redis.disconnect();
    },
  };
  return runtime;
}
