import { afterEach, describe, expect, it } from "vitest";
import { pqlKeys } from "../../src/pql/pql-keys.js";
import { listLeads } from "../../src/pql/pql-report.js";
import { removePrefix, testRedis, uniquePrefix, waitFor } from "../support/redis.js";
import { spawnWorker } from "../support/worker-process.js";

const redis = testRedis();
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("PQL routing in the worker", () => {
  it("takes events at POST /events on the status server and routes the qualified lead (sandbox CRM)", async () => {
    const prefix = uniquePrefix("pql-worker");
    const port = 20_000 + Math.floor(Math.random() * 40_000);
    const worker = spawnWorker({
      SHIPLOOP_PREFIX: prefix,
      SHIPLOOP_HTTP_PORT: String(port),
      SHIPLOOP_EVENTS_SECRET: "events-secret-for-tests",
    });
    cleanups.push(
      () => removePrefix(redis, prefix),
      () => worker.stop(),
    );
    await waitFor("the status server", async () =>
      worker.output().includes("status server listening") ? true : undefined,
    );
    const at = (minutes: number) => new Date(Date.UTC(2026, 11, 4, 10, minutes)).toISOString();
    const events = [
      {
        event: "invited_teammate",
        distinct_id: "u1",
        timestamp: at(0),
        properties: { invitee: "a@acme.io", email: "u1@acme.io" },
      },
      {
        event: "invited_teammate",
        distinct_id: "u1",
        timestamp: at(5),
        properties: { invitee: "b@acme.io" },
      },
      { event: "saved_workflow", distinct_id: "u1", timestamp: at(10) },
      { event: "viewed_pricing", distinct_id: "u1", timestamp: at(15) },
    ];
    const post = (secret: string) =>
      fetch(`http://127.0.0.1:${port}/events`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-shiploop-secret": secret },
        body: JSON.stringify(events),
      });

    expect((await post("wrong")).status).toBe(401);
    const accepted = await post("events-secret-for-tests");
    expect(accepted.status).toBe(202);

    const [lead] = await waitFor("the lead pushed to the (sandbox) CRM", async () => {
      const leads = await listLeads(redis, pqlKeys(prefix));
      return leads[0]?.state === "pushed" ? leads : undefined;
    });
    expect(lead).toMatchObject({
      state: "pushed",
      qualification: { rule: "team-adoption", userId: "u1" },
    });
    expect((await post("events-secret-for-tests")).status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await listLeads(redis, pqlKeys(prefix))).toHaveLength(1);
  });
});
