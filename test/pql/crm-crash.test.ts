import { afterEach, describe, expect, it } from "vitest";
import { acceptEvents } from "../../src/pql/accept-events.js";
import { pqlKeys } from "../../src/pql/pql-keys.js";
import { FakeHubSpot } from "../fakes/hubspot/fake-hubspot.js";
import { removePrefix, testRedis, uniquePrefix, waitFor } from "../support/redis.js";
import { spawnWorker, type WorkerProcess } from "../support/worker-process.js";
import { ev, HOUR, T0 } from "./harness.js";

const redis = testRedis();
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("a worker process killed between the contact upsert and the note", () => {
  it("is finished by the next worker with exactly one contact and one note", {
    timeout: 60_000,
  }, async () => {
    const fake = new FakeHubSpot("crash-token");
    const url = await fake.start();
    const prefix = uniquePrefix("pql-crash");
    const keys = pqlKeys(prefix);
    cleanups.push(
      () => fake.stop(),
      () => removePrefix(redis, prefix),
    );
    // The shipped rules (./pql): team-adoption qualifies u1 with these four events.
    const env = {
      SHIPLOOP_PREFIX: prefix,
      HUBSPOT_ACCESS_TOKEN: "crash-token",
      HUBSPOT_BASE_PATH: url,
    };
    const workers: WorkerProcess[] = [];
    const output = () => workers.map((w) => w.output()).join("\n--- next worker ---\n");
    const first = spawnWorker({ ...env, SHIPLOOP_TEST_KILL_AT: "pql-after-upsert" });
    workers.push(first);
    cleanups.push(() => first.stop());
    await waitFor("the first worker's PQL routing", async () =>
      first.output().includes("PQL routing:") ? true : undefined,
    );
    await acceptEvents(
      redis,
      keys,
      [
        ev("invited_teammate", "u1", T0, { invitee: "a@acme.io", email: "ann@acme.io" }),
        ev("invited_teammate", "u1", T0 + HOUR, { invitee: "b@acme.io" }),
        ev("saved_workflow", "u1", T0 + 2 * HOUR),
        ev("viewed_pricing", "u1", T0 + 3 * HOUR),
      ],
      Date.now(),
      86_400_000,
    );

    const death = await first.exited;
    expect(death.signal, output()).toBe("SIGKILL");
    // It died with the contact upserted and no note written.
    expect(fake.callsTo("/contacts/batch/upsert")).toHaveLength(1);
    expect(fake.notes).toHaveLength(0);
    expect(await redis.zcard(keys.pending)).toBe(1);

    const second = spawnWorker(env);
    workers.push(second);
    cleanups.push(() => second.stop());
    await waitFor(
      "the lead pushed by the second worker",
      async () => ((await redis.zcard(keys.leads)) === 1 ? true : undefined),
      30_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n--- worker output ---\n${output()}`);
    });

    expect([...fake.contacts.keys()]).toEqual(["ann@acme.io"]);
    expect(fake.notes).toHaveLength(1);
    expect(fake.notesFor("ann@acme.io")).toHaveLength(1);
    // The retry upserted the same contact again (by email) and wrote the note it never wrote.
    const upserts = fake.callsTo("/contacts/batch/upsert");
    expect(upserts.map((c) => c.status)).toEqual([200, 200]);
    expect(
      upserts.map((c) => (c.body as { inputs: { id: string }[] }).inputs.map((i) => i.id)),
    ).toEqual([["ann@acme.io"], ["ann@acme.io"]]);
    expect(fake.callsTo("/notes/batch/create")).toHaveLength(1);
    expect(await redis.zcard(keys.pending)).toBe(0);
    expect(fake.unmatched).toEqual([]);
  });
});
