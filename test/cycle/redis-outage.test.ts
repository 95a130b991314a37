import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { Ledger } from "../../src/ledger/ledger.js";
import { CycleQueue } from "../../src/queue/cycle-queue.js";
import { backlogDir, item } from "../support/backlog-dir.js";
import { waitFor } from "../support/redis.js";
import { spawnWorker, type WorkerProcess } from "../support/worker-process.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function startRedis(port: number): ChildProcess {
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    {
      stdio: "ignore",
    },
  );
  cleanups.push(() => {
    child.kill("SIGKILL");
  });
  return child;
}

const linesMatching = (worker: WorkerProcess, pattern: RegExp) =>
  worker
    .output()
    .split("\n")
    .filter((l) => pattern.test(l));

describe("Redis unavailable when the worker starts", () => {
  it("logs one clear line, keeps retrying with backoff, and runs the cycle once Redis is up", async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const backlog = backlogDir([item("after-outage", { sandbox: { trueRelativeLift: 0.3 } })]);
    cleanups.push(backlog.remove);
    const worker = spawnWorker({
      REDIS_URL: url,
      SHIPLOOP_PREFIX: "outage",
      SHIPLOOP_BACKLOG_DIR: backlog.dir,
      SHIPLOOP_WINDOW: "1s",
      SHIPLOOP_HTTP_PORT: String(await freePort()),
    });
    cleanups.push(() => worker.stop());

    await waitFor("the outage line", async () =>
      linesMatching(worker, /is not reachable/).length > 0 ? true : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(worker.child.exitCode).toBeNull();
    expect(linesMatching(worker, /is not reachable/)).toHaveLength(1);
    expect(worker.output()).not.toMatch(/^Error: connect/m);

    startRedis(port);
    const redis = new Redis(url, { maxRetriesPerRequest: null });
    cleanups.push(() => redis.disconnect());
    await new CycleQueue(redis, "outage").kickoff("2026-W49");
    const ledger = new Ledger(redis, "outage");
    await waitFor(
      "the verdict",
      async () => ((await ledger.listObservations()).length > 0 ? true : undefined),
      30_000,
    );
    expect(linesMatching(worker, /reachable again/)).toHaveLength(1);

    const exit = await worker.stop();
    expect(exit.code).toBe(0);
  });
});
