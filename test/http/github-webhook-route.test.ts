import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { githubWebhookRoutes } from "../../src/http/github-webhook-route.js";
import { buildStatusServer } from "../../src/http/status-server.js";
import { backlogDir, item, pullRequestShip } from "../support/backlog-dir.js";
import { waitFor } from "../support/redis.js";
import { type TestRuntime, testRuntime } from "../support/test-runtime.js";

const SECRET = "webhook-secret-for-tests";
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function delivery(branch: string, merged: boolean) {
  const body = JSON.stringify({
    action: "closed",
    pull_request: { number: 1, merged, head: { ref: branch } },
    repository: { full_name: "acme/webapp" },
  });
  const signature = `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
  return { body, signature };
}

async function server(runtime: TestRuntime) {
  const ctx = { ...runtime.ctx, config: { ...runtime.ctx.config, githubWebhookSecret: SECRET } };
  const app = await buildStatusServer({
    config: ctx.config,
    redis: runtime.redis,
    ledger: ctx.ledger,
    queue: ctx.queue,
    routes: [
      {
        name: "github-webhook",
        prefix: "/webhooks",
        auth: "own",
        plugin: githubWebhookRoutes(ctx),
      },
    ],
  });
  cleanups.push(() => app.close());
  return app;
}

describe("POST /webhooks/github", () => {
  it("wakes the waiting await-merge job at once when its pull request is closed", async () => {
    const backlog = backlogDir([
      item("closed-by-review", { ship: pullRequestShip("closed-by-review") }),
    ]);
    // Merges after an hour and first polls after a 70th of a 70-minute window: only the webhook can be this fast.
    const runtime = testRuntime("webhook", backlog.dir, { window: "70m", mergeDelayMs: 3_600_000 });
    cleanups.push(backlog.remove, () => runtime.close());
    runtime.start();
    await runtime.ctx.queue.kickoff("2026-W49");
    const id = "2026-W49--closed-by-review";
    await waitFor("awaiting merge", async () =>
      (await runtime.ctx.ledger.getExperiment(id))?.status === "awaiting-merge" ? true : undefined,
    );
    await runtime.codeHost.close("shiploop/closed-by-review");
    const app = await server(runtime);
    const { body, signature } = delivery("shiploop/closed-by-review", false);
    const response = await app.inject({
      method: "POST",
      url: "/webhooks/github",
      headers: {
        "content-type": "application/json",
        "x-github-event": "pull_request",
        "x-hub-signature-256": signature,
      },
      payload: body,
    });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ itemId: "closed-by-review" });
    const experiment = await waitFor(
      "abandoned",
      async () => {
        const e = await runtime.ctx.ledger.getExperiment(id);
        return e?.status === "abandoned" ? e : undefined;
      },
      5_000,
    );
    expect(experiment.blockedReason).toContain("closed without merging");
  });

  it("refuses a delivery whose signature does not match", async () => {
    const backlog = backlogDir([item("any")]);
    const runtime = testRuntime("webhook", backlog.dir);
    cleanups.push(backlog.remove, () => runtime.close());
    const app = await server(runtime);
    const { body } = delivery("shiploop/any", true);
    const response = await app.inject({
      method: "POST",
      url: "/webhooks/github",
      headers: {
        "content-type": "application/json",
        "x-github-event": "pull_request",
        "x-hub-signature-256": "sha256=00",
      },
      payload: body,
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toContain("does not match");
  });
});
