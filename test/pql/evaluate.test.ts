import { afterEach, describe, expect, it } from "vitest";
import { pqlReport } from "../../src/pql/pql-report.js";
import { ev, type Harness, HOUR, MINUTE, rule, SEED_RULE, startHarness, T0 } from "./harness.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const seedEvents = (user: string, start: number, last: number) => [
  ev("invited_teammate", user, start, { invitee: "a@x.io" }),
  ev("invited_teammate", user, start + HOUR, { invitee: "b@x.io" }),
  ev("saved_workflow", user, start + 2 * HOUR),
  ev("viewed_pricing", user, last),
];

describe("windowed evaluation in Redis", () => {
  it("qualifies at 47 h 59 m and not at 48 h 01 m", async () => {
    h = await startHarness([SEED_RULE]);
    await h.send(...seedEvents("inside", T0, T0 + 47 * HOUR + 59 * MINUTE));
    await h.send(...seedEvents("outside", T0, T0 + 48 * HOUR + MINUTE));
    await h.settle();
    const quals = await h.qualifications();
    expect(quals.map((q) => q.subject)).toEqual(["inside"]);
    expect(quals[0]?.qualifiedAt).toBe(T0 + 47 * HOUR + 59 * MINUTE);
    expect(quals[0]?.events.map((e) => e.event).sort()).toEqual([
      "invited_teammate",
      "invited_teammate",
      "saved_workflow",
      "viewed_pricing",
    ]);
  });

  it("counts late and out-of-order events at their own time", async () => {
    h = await startHarness([SEED_RULE]);
    const [i1, i2, save, pricing] = seedEvents("u1", T0, T0 + 10 * HOUR);
    // Pricing arrives first, then the rest late, newest first.
    for (const e of [pricing, save, i2, i1]) if (e) await h.send(e);
    await h.settle();
    const quals = await h.qualifications();
    expect(quals).toHaveLength(1);
    expect(quals[0]?.qualifiedAt).toBe(T0 + 10 * HOUR);

    // A late event outside every window changes nothing.
    await h.send(ev("viewed_pricing", "u2", T0), ev("saved_workflow", "u2", T0 + 60 * HOUR));
    await h.send(ev("invited_teammate", "u2", T0 + 61 * HOUR, { invitee: "a" }));
    await h.send(ev("invited_teammate", "u2", T0 + 62 * HOUR, { invitee: "b" }));
    await h.settle();
    expect((await h.qualifications()).map((q) => q.subject)).toEqual(["u1"]);
  });

  it("counts duplicate deliveries of one event id once toward a count threshold", async () => {
    h = await startHarness([
      rule({ id: "two-saves", all: [{ event: "saved_workflow", atLeast: 2 }] }),
    ]);
    const save = ev("saved_workflow", "u1", T0);
    // The intake drops what it has seen: the copies never reach the evaluator.
    expect(await h.send(save)).toEqual({ accepted: 1, duplicates: 0 });
    expect(await h.send(save, save)).toEqual({ accepted: 0, duplicates: 2 });
    await h.settle();
    expect(await h.qualifications()).toEqual([]);
    expect(await h.redis.hget(h.keys.stats, "duplicates")).toBe("2");

    // A copy the intake no longer remembers (its dedupe window passed) reaches the evaluator,
    // and is still the same occurrence.
    await h.redis.del(h.keys.seen(save.id));
    expect(await h.send(save)).toEqual({ accepted: 1, duplicates: 0 });
    await h.settle();
    expect(await h.qualifications()).toEqual([]);

    // A second event does reach the threshold.
    await h.send(ev("saved_workflow", "u1", T0 + HOUR));
    await h.settle();
    const quals = await h.qualifications();
    expect(quals.map((q) => [q.subject, q.qualifiedAt, q.events.length])).toEqual([
      ["u1", T0 + HOUR, 2],
    ]);
  });

  it("counts distinct invitees, not invitations", async () => {
    h = await startHarness([SEED_RULE]);
    await h.send(
      ev("invited_teammate", "same", T0, { invitee: "a" }),
      ev("invited_teammate", "same", T0 + MINUTE, { invitee: "a" }),
      ev("saved_workflow", "same", T0 + HOUR),
      ev("viewed_pricing", "same", T0 + 2 * HOUR),
    );
    await h.settle();
    expect(await h.qualifications()).toEqual([]);
    await h.send(ev("invited_teammate", "same", T0 + 3 * HOUR, { invitee: "b" }));
    await h.settle();
    expect((await h.qualifications()).map((q) => q.qualifiedAt)).toEqual([T0 + 3 * HOUR]);
  });

  it("pools the users of one account for an account-level rule", async () => {
    const account = rule({
      id: "account-expansion",
      level: "account",
      within: "7d",
      all: [{ event: "saved_workflow", atLeast: 3, distinctBy: "distinct_id" }],
    });
    h = await startHarness([account]);
    const save = (user: string, at: number, acct: string) =>
      ev("saved_workflow", user, at, { account_id: acct }, { accountId: acct });
    await h.send(
      save("ann", T0, "acme"),
      save("ann", T0 + HOUR, "acme"),
      save("bob", T0 + 2 * HOUR, "acme"),
    );
    await h.send(save("cy", T0, "other"), save("dee", T0 + HOUR, "other"));
    await h.settle();
    expect(await h.qualifications()).toEqual([]);
    await h.send(save("cat", T0 + 3 * HOUR, "acme"));
    await h.settle();
    const [q] = await h.qualifications();
    expect(q?.subject).toBe("acme");
    expect(q?.level).toBe("account");
    expect(new Set(q?.events.map((e) => e.user))).toEqual(new Set(["ann", "bob", "cat"]));
  });

  it("takes a user's own distinct_id for the account when an event has no account_id", async () => {
    const busy = rule({
      id: "busy-account",
      level: "account",
      within: "7d",
      all: [{ event: "saved_workflow", atLeast: 2 }],
    });
    h = await startHarness([busy]);
    await h.send(ev("saved_workflow", "solo", T0), ev("saved_workflow", "solo", T0 + HOUR));
    // Another user's events without account_id are another account: they do not pool with solo's.
    await h.send(ev("saved_workflow", "other", T0 + 2 * HOUR));
    await h.send(ev("subscription_started", "solo", T0 + 24 * HOUR));
    await h.settle();
    const quals = await h.qualifications();
    expect(quals.map((q) => [q.level, q.subject, q.accountId, q.qualifiedAt])).toEqual([
      ["account", "solo", "solo", T0 + HOUR],
    ]);
    // The subscription without account_id converts that one-user account.
    const [report] = await pqlReport(h.redis, h.keys, [busy]);
    expect(report).toMatchObject({ rule: "busy-account", qualified: 1, converted: 1 });
  });

  it("qualifies a subject once per cooldown", async () => {
    h = await startHarness([
      rule({ id: "pricing", cooldown: "1s", all: [{ event: "viewed_pricing" }] }),
    ]);
    await h.send(ev("viewed_pricing", "u1", T0), ev("viewed_pricing", "u1", T0 + HOUR));
    await h.settle();
    expect(await h.qualifications()).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await h.send(ev("viewed_pricing", "u1", T0 + 2 * HOUR));
    await h.settle();
    expect((await h.qualifications()).map((q) => q.qualifiedAt)).toEqual([T0, T0 + 2 * HOUR]);
  });

  it("applies property filters, any and not", async () => {
    const usage = rule({
      id: "usage-limit",
      within: "7d",
      all: [
        {
          event: "usage_limit_reached",
          atLeast: 2,
          where: { plan: "free", usage_percent: { gte: 100 } },
        },
        { any: [{ event: "viewed_pricing" }, { event: "opened_billing" }] },
        { not: { event: "subscription_started" } },
      ],
    });
    h = await startHarness([usage]);
    const hit = (user: string, at: number, props: Record<string, unknown>) =>
      ev("usage_limit_reached", user, at, props);
    // u1: one hit is on a paid plan, so only one counts.
    await h.send(
      hit("u1", T0, { plan: "free", usage_percent: 100 }),
      hit("u1", T0 + HOUR, { plan: "team", usage_percent: 120 }),
    );
    await h.send(ev("opened_billing", "u1", T0 + 2 * HOUR));
    // u2: qualifies through `any`.
    await h.send(
      hit("u2", T0, { plan: "free", usage_percent: 100 }),
      hit("u2", T0 + HOUR, { plan: "free", usage_percent: 130 }),
    );
    await h.send(ev("opened_billing", "u2", T0 + 2 * HOUR));
    // u3: already subscribed inside the window.
    await h.send(ev("subscription_started", "u3", T0));
    await h.send(
      hit("u3", T0 + HOUR, { plan: "free", usage_percent: 100 }),
      hit("u3", T0 + 2 * HOUR, { plan: "free", usage_percent: 100 }),
    );
    await h.send(ev("viewed_pricing", "u3", T0 + 3 * HOUR));
    await h.settle();
    expect((await h.qualifications()).map((q) => q.subject)).toEqual(["u2"]);
  });

  it("keeps each set trimmed to the window", async () => {
    h = await startHarness([SEED_RULE]);
    for (let i = 0; i < 10; i++) await h.send(ev("saved_workflow", "busy", T0 + i * 24 * HOUR));
    await h.settle();
    const keys = await h.redis.keys(`${h.keys.base.replace(/[{}]/g, "\\$&")}:z:*`);
    expect(keys).toHaveLength(1);
    // Newest at day 9; the window keeps days 7, 8 and 9.
    expect(await h.redis.zcard(keys[0] as string)).toBe(3);
  });
});
