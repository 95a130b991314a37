import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { backlogDir, item } from "../support/backlog-dir.js";
import { removePrefix, testRedis, uniquePrefix, waitFor } from "../support/redis.js";
import { spawnWorker, type WorkerProcess } from "../support/worker-process.js";

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

describe("shiploop worker", () => {
  it("serves the status pages while it runs and closes them on SIGTERM", async () => {
    const backlog = backlogDir([item("idle-item")]);
    const prefix = uniquePrefix("worker-http");
    const port = await freePort();
    const worker: WorkerProcess = spawnWorker({
      SHIPLOOP_PREFIX: prefix,
      SHIPLOOP_BACKLOG_DIR: backlog.dir,
      SHIPLOOP_HTTP_PORT: String(port),
      SHIPLOOP_HTTP_TOKEN: "worker-token",
    });
    const redis = testRedis();
    cleanups.push(backlog.remove, async () => {
      await worker.stop();
      await removePrefix(redis, prefix);
      redis.disconnect();
    });
    const url = `http://127.0.0.1:${port}`;
    const health = await waitFor("the worker's /healthz", async () => {
      const response = await fetch(`${url}/healthz`).catch(() => undefined);
      return response?.status === 200 ? response.json() : undefined;
    });
    expect(health).toMatchObject({ ok: true, worker: { alive: true, inProcess: true } });
    expect((await fetch(`${url}/`)).status).toBe(401);
    const home = await fetch(`${url}/`, { headers: { authorization: "Bearer worker-token" } });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("Backlog ranking");
    expect(worker.output()).toContain(`status server listening on ${url}`);

    worker.child.kill("SIGTERM");
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it("keeps running the cycle when the port is taken, and says why there are no pages", async () => {
    const blocker = createServer();
    const port = await new Promise<number>((resolve) =>
      blocker.listen(0, "127.0.0.1", () => resolve((blocker.address() as { port: number }).port)),
    );
    const prefix = uniquePrefix("worker-http-busy");
    const worker = spawnWorker({ SHIPLOOP_PREFIX: prefix, SHIPLOOP_HTTP_PORT: String(port) });
    const redis = testRedis();
    cleanups.push(async () => {
      await worker.stop();
      blocker.close();
      await removePrefix(redis, prefix);
      redis.disconnect();
    });
    await waitFor("the port-in-use message and the schedule", async () =>
      worker.output().includes("weekly kickoff scheduled") ? true : undefined,
    );
    expect(worker.output()).toContain(`SHIPLOOP_HTTP_PORT ${port} is already in use on 127.0.0.1`);
    expect(worker.child.exitCode).toBeNull();
  });
});
