import { afterEach, describe, expect, it } from "vitest";
import { TransientError } from "../../src/domain/errors.js";
import { hubspotCrm } from "../../src/pql/crm/hubspot-crm.js";
import { FakeHubSpot } from "../fakes/hubspot/fake-hubspot.js";
import { waitFor } from "../support/redis.js";
import { ev, type Harness, HOUR, SEED_RULE, startHarness, T0 } from "./harness.js";

let h: Harness | undefined;
let fake: FakeHubSpot | undefined;
afterEach(async () => {
  await h?.close();
  await fake?.stop();
  h = undefined;
  fake = undefined;
});

async function live(
  limit = { max: 100, intervalMs: 10_000 },
  extra: Parameters<typeof startHarness>[1] = {},
): Promise<{ h: Harness; fake: FakeHubSpot }> {
  fake = new FakeHubSpot("token-1", limit);
  const url = await fake.start();
  h = await startHarness([SEED_RULE], {
    crm: hubspotCrm({ accessToken: "token-1", basePath: url, rollingWindowMs: 200 }),
    crmWorker: { limiter: { max: 50, duration: 1_000 } },
    ...extra,
  });
  return { h, fake };
}

const qualify = (user: string, email: string | undefined, start = T0) => [
  ev("invited_teammate", user, start, { invitee: "a", ...(email ? { email } : {}) }),
  ev("invited_teammate", user, start + HOUR, { invitee: "b" }),
  ev("saved_workflow", user, start + 2 * HOUR),
  ev("viewed_pricing", user, start + 3 * HOUR),
];

const pushedCount = (x: Harness) => x.redis.zcard(x.keys.leads);
const untilPushed = (x: Harness, n: number) =>
  waitFor(
    `${n} lead(s) pushed`,
    async () => ((await pushedCount(x)) >= n ? true : undefined),
    20_000,
    50,
  );

describe("CRM push to HubSpot (through @hubspot/api-client against the fake)", () => {
  it("creates the properties, upserts the contact with the PQL fields and writes one note", async () => {
    const { h, fake } = await live();
    await h.send(...qualify("u1", "Ann@Acme.io"));
    await untilPushed(h, 1);
    expect([...fake.properties].sort()).toEqual(["pql_qualified_at", "pql_reason", "pql_score"]);
    const contact = fake.contacts.get("ann@acme.io");
    expect(contact?.properties).toMatchObject({
      pql_score: "50",
      pql_qualified_at: new Date(T0 + 3 * HOUR).toISOString(),
    });
    expect(contact?.properties.pql_reason).toContain("rule team-adoption");
    const notes = fake.notesFor("ann@acme.io");
    expect(notes).toHaveLength(1);
    const body = notes[0]?.properties.hs_note_body ?? "";
    expect(body).toContain(`invited_teammate at ${new Date(T0).toISOString()}`);
    expect(body).toContain(`viewed_pricing at ${new Date(T0 + 3 * HOUR).toISOString()}`);
    expect(fake.unmatched).toEqual([]);
    expect(fake.callsTo("/crm/v3/objects/contacts/batch/upsert")).toHaveLength(1);
  });

  it("writes exactly one note when the push dies between the upsert and the note", async () => {
    let failures = 0;
    const { h, fake } = await live(undefined, {
      afterUpsert: async () => {
        if (failures++ === 0) throw new TransientError("test-kill", "killed after the upsert");
      },
    });
    await h.send(...qualify("u1", "ann@acme.io"));
    await untilPushed(h, 1);
    expect(failures).toBe(2);
    expect(fake.callsTo("/contacts/batch/upsert")).toHaveLength(2);
    expect(fake.notesFor("ann@acme.io")).toHaveLength(1);
  });

  it("finds the note it created before dying instead of writing a second one", async () => {
    const { h, fake } = await live();
    // The note exists and its intent is recorded, but its id never was.
    await h.send(...qualify("u1", "ann@acme.io"));
    await untilPushed(h, 1);
    const [qid] = await h.redis.zrange(h.keys.leads, 0, 0);
    await h.redis
      .multi()
      .hdel(h.keys.notes, qid as string)
      .hset(h.keys.noteIntents, qid as string, "1")
      .zadd(h.keys.pending, 1, qid as string)
      .exec();
    await h.redis.zrem(h.keys.leads, qid as string);
    await untilPushed(h, 1);
    expect(fake.notesFor("ann@acme.io")).toHaveLength(1);
    expect(fake.callsTo("/notes/search")).toHaveLength(1);
  });

  it("backs off through a 429 storm (injected and real) and every lead ends with one note", async () => {
    const { h, fake } = await live({ max: 6, intervalMs: 1_000 });
    fake.inject({ status: 429, path: "/contacts/batch/upsert" }, 5);
    for (let i = 0; i < 8; i++) {
      await h.send(...qualify(`u${i}`, `user${i}@acme.io`, T0 + i * 10 * HOUR));
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    await untilPushed(h, 8);
    for (let i = 0; i < 8; i++) expect(fake.notesFor(`user${i}@acme.io`)).toHaveLength(1);
    const tooMany = fake.calls.filter((c) => c.status === 429);
    expect(tooMany.length).toBeGreaterThanOrEqual(5);
    expect(await h.redis.zcard(h.keys.pending)).toBe(0);
  });

  it("retries notes after a 429 without searching for notes that were never created", async () => {
    const { h, fake } = await live();
    fake.inject({ status: 429, path: "/notes/batch/create" }, 2);
    await h.send(...qualify("u1", "ann@acme.io"));
    await untilPushed(h, 1);
    expect(fake.notesFor("ann@acme.io")).toHaveLength(1);
    expect(fake.callsTo("/notes/search")).toHaveLength(0);
  });

  it("records a refused contact as a visible failure and pushes the others", async () => {
    const { h, fake } = await live();
    fake.poison("bad@acme.io");
    await h.send(...qualify("good", "good@acme.io"), ...qualify("bad", "bad@acme.io"));
    await h.send(...qualify("invalid", "not-an-email"));
    await h.send(...qualify("anonymous", undefined));
    await untilPushed(h, 1);
    await waitFor(
      "3 failures",
      async () => ((await h.redis.hlen(h.keys.failures)) >= 3 ? true : undefined),
      10_000,
      50,
    );
    const failures = Object.fromEntries(
      Object.entries(await h.redis.hgetall(h.keys.failures)).map(([id, json]) => [
        id.split("|")[2],
        JSON.parse(json) as { reason: string; status?: number },
      ]),
    );
    expect(failures.bad?.reason).toContain("cannot be updated");
    expect(failures.invalid).toMatchObject({ status: 400 });
    expect(failures.invalid?.reason).toContain("INVALID_EMAIL");
    expect(failures.anonymous?.reason).toContain("no email known for anonymous");
    expect(fake.notesFor("good@acme.io")).toHaveLength(1);
    expect(await h.redis.zcard(h.keys.pending)).toBe(0);
  });

  it("keeps leads pending when the token is refused", async () => {
    fake = new FakeHubSpot("right-token");
    const url = await fake.start();
    h = await startHarness([SEED_RULE], {
      crm: hubspotCrm({ accessToken: "wrong-token", basePath: url }),
    });
    await h.send(...qualify("u1", "ann@acme.io"));
    await waitFor("a 401", async () =>
      fake?.calls.some((c) => c.status === 401) ? true : undefined,
    );
    expect(await h.redis.zcard(h.keys.pending)).toBe(1);
    expect(fake.notes).toHaveLength(0);
  });
});

describe("sandbox CRM", () => {
  it("puts qualified leads in the ledger list", async () => {
    h = await startHarness([SEED_RULE]);
    await h.send(...qualify("u1", undefined));
    await untilPushed(h, 1);
    const [qid] = await h.redis.zrange(h.keys.leads, 0, -1);
    const lead = JSON.parse((await h.redis.hget(h.keys.pushed, qid as string)) ?? "{}");
    expect(lead).toMatchObject({ mode: "sandbox", contacts: [{ userId: "u1" }] });
  });
});
