import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

/** A private redis-server; with `dataDir` it keeps an append-only file there, as production does. */
function startRedis(port: number, dataDir?: string): ChildProcess {
  const persistence = dataDir ? ["--appendonly", "yes", "--dir", dataDir] : ["--appendonly", "no"];
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", ...persistence],
    { stdio: "ignore" },
  );
  cleanups.push(() => {
    child.kill("SIGKILL");
  });
  return child;
}

async function stopRedis(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
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

  it("does not lose a verdict that was pending when Redis went away", async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const dataDir = mkdtempSync(join(tmpdir(), "shiploop-redis-"));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const backlog = backlogDir([item("pending", { sandbox: { trueRelativeLift: 0.3 } })]);
    cleanups.push(backlog.remove);
    const env = {
      REDIS_URL: url,
      SHIPLOOP_PREFIX: "outage-pending",
      SHIPLOOP_BACKLOG_DIR: backlog.dir,
      SHIPLOOP_WINDOW: "3s",
      SHIPLOOP_HTTP_PORT: String(await freePort()),
    };
    const redisServer = startRedis(port, dataDir);
    // Commands wait for the connection (and for a restarted server) instead of failing.
    const redis = new Redis(url, { maxRetriesPerRequest: null });
    redis.on("error", () => {});
    cleanups.push(() => redis.disconnect());
    await redis.ping();
    const ledger = new Ledger(redis, "outage-pending");
    const first = spawnWorker(env);
    cleanups.push(() => first.stop());
    await new CycleQueue(redis, "outage-pending").kickoff("2026-W49");
    await waitFor("measuring", async () =>
      (await ledger.getExperiment("2026-W49--pending"))?.status === "measuring" ? true : undefined,
    );

    // The worker stops and Redis goes away with the verdict still a delayed job in it.
    expect((await first.stop()).code).toBe(0);
    redis.disconnect();
    await stopRedis(redisServer);
    const second = spawnWorker(env);
    cleanups.push(() => second.stop());
    await waitFor("the outage line", async () =>
      linesMatching(second, /is not reachable/).length > 0 ? true : undefined,
    );
    // Past the verdict's due time while Redis is down.
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    startRedis(port, dataDir);
    const restarted = new Redis(url, { maxRetriesPerRequest: null });
    restarted.on("error", () => {});
    cleanups.push(() => restarted.disconnect());
    const ledgerAfter = new Ledger(restarted, "outage-pending");
    const observations = await waitFor(
      "the pending verdict",
      async () => {
        const all = await ledgerAfter.listObservations();
        return all.length > 0 ? all : undefined;
      },
      30_000,
    );
    expect(observations.map((o) => o.itemId)).toEqual(["pending"]);
    expect((await ledgerAfter.getExperiment("2026-W49--pending"))?.status).toBe("decided");
    expect(linesMatching(second, /is not reachable/)).toHaveLength(1);
    expect((await second.stop()).code).toBe(0);
  });
});
