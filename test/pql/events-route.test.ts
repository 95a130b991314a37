import { createHmac } from "node:crypto";
import Fastify, { type FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eventsRoutes } from "../../src/pql/http/events-routes.js";
import { type PqlKeys, pqlKeys } from "../../src/pql/pql-keys.js";
import { removePrefix, testRedis, uniquePrefix } from "../support/redis.js";

let app: FastifyInstance;
let redis: Redis;
let prefix: string;
let keys: PqlKeys;

async function build(options: { secret?: string; segmentSecret?: string; requireAuth?: boolean }) {
  app = Fastify();
  // The status server's own routes keep Fastify's JSON parser; ours reads raw bodies in its scope.
  app.post("/other", async (request) => ({ parsed: request.body }));
  await app.register(
    eventsRoutes({
      redis,
      prefix,
      secret: options.secret,
      segmentSecret: options.segmentSecret,
      requireAuth: options.requireAuth ?? true,
      dedupeTtlMs: 60_000,
    }),
  );
  await app.ready();
}

beforeEach(() => {
  redis = testRedis();
  prefix = uniquePrefix("route");
  keys = pqlKeys(prefix);
});
afterEach(async () => {
  await app?.close();
  await removePrefix(redis, prefix);
  redis.disconnect();
});

const post = (body: string | object, headers: Record<string, string> = {}) =>
  app.inject({
    method: "POST",
    url: "/events",
    payload: typeof body === "string" ? body : JSON.stringify(body),
    headers: { "content-type": "application/json", ...headers },
  });

const shiploopEvent = {
  event: "viewed_pricing",
  distinct_id: "u1",
  timestamp: "2026-03-02T09:00:00Z",
  properties: { plan: "free" },
};

describe("POST /events", () => {
  it("accepts the three shapes once each and leaves other routes' JSON alone", async () => {
    await build({ secret: "s3cret" });
    const auth = { "x-shiploop-secret": "s3cret" };
    const posthog = {
      event: {
        uuid: "0190-ph",
        event: "saved_workflow",
        distinct_id: "u2",
        properties: { account_id: "acme" },
        timestamp: "2026-03-02T09:01:00Z",
      },
      person: { id: "p2", properties: { email: "bo@acme.io" } },
    };
    const segment = {
      type: "track",
      messageId: "seg-1",
      userId: "u3",
      event: "invited_teammate",
      properties: { invitee: "x@acme.io" },
      timestamp: "2026-03-02T09:02:00Z",
      context: { traits: { email: "cy@acme.io" } },
    };
    for (const body of [shiploopEvent, posthog, segment]) {
      const res = await post(body, auth);
      expect(res.statusCode).toBe(202);
      expect(res.json()).toEqual({ accepted: 1, duplicates: 0 });
    }
    expect((await post(posthog, auth)).json()).toEqual({ accepted: 0, duplicates: 1 });
    expect((await post(shiploopEvent, auth)).json()).toEqual({ accepted: 0, duplicates: 1 });
    const entries = await redis.xrange(keys.stream, "-", "+");
    const events = entries.map(([, fields]) => JSON.parse(fields[3] as string));
    expect(events.map((e) => [e.source, e.userId, e.email, e.accountId])).toEqual([
      ["shiploop", "u1", undefined, undefined],
      ["posthog", "u2", "bo@acme.io", "acme"],
      ["segment", "u3", "cy@acme.io", undefined],
    ]);
    const other = await app.inject({ method: "POST", url: "/other", payload: { a: 1 } });
    expect(other.json()).toEqual({ parsed: { a: 1 } });
  });

  it("answers 400 with the reason for bad payloads and counts them", async () => {
    await build({ secret: "s" });
    const auth = { authorization: "Bearer s" };
    const cases: [string | object, string][] = [
      ["{not json", "body is not JSON"],
      [{ distinct_id: "u1", timestamp: "2026-03-02T09:00:00Z" }, "event: missing"],
      [{ ...shiploopEvent, timestamp: "yesterday" }, 'timestamp: "yesterday" is not a time'],
      [{ ...shiploopEvent, timestamp: "2999-01-01T00:00:00Z" }, "more than an hour in the future"],
      [
        { event: { event: "x", distinct_id: "u", timestamp: "2026-03-02T09:00:00Z" } },
        "event.uuid: missing",
      ],
      [[shiploopEvent, { ...shiploopEvent, distinct_id: null }], "events[1]: distinct_id"],
      [[], "no events"],
    ];
    for (const [body, reason] of cases) {
      const res = await post(body, auth);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error).toContain(reason);
    }
    expect(await redis.xlen(keys.stream)).toBe(0);
    const stats = await redis.hgetall(keys.stats);
    const refused = Object.entries(stats)
      .filter(([k]) => k.startsWith("refused:"))
      .reduce((n, [, v]) => n + Number(v), 0);
    expect(refused).toBe(cases.length);
  });

  it("requires the shared secret", async () => {
    await build({ secret: "s3cret" });
    expect((await post(shiploopEvent)).statusCode).toBe(401);
    expect((await post(shiploopEvent, { "x-shiploop-secret": "nope" })).statusCode).toBe(401);
    expect((await post(shiploopEvent, { authorization: "Bearer s3cret" })).statusCode).toBe(202);
  });

  it("checks Segment's X-Signature over the raw body", async () => {
    await build({ segmentSecret: "seg-secret" });
    const raw = JSON.stringify({ ...shiploopEvent, messageId: "m1", userId: "u9", type: "track" });
    const sign = (body: string, key: string) => createHmac("sha1", key).update(body).digest("hex");
    expect((await post(raw, { "x-signature": sign(raw, "seg-secret") })).statusCode).toBe(202);
    const tampered = raw.replace("u9", "u8");
    const bad = await post(tampered, { "x-signature": sign(raw, "seg-secret") });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error).toContain("X-Signature");
    expect((await post(raw)).statusCode).toBe(401);
  });

  it("is closed without a secret when auth is required, open in sandbox", async () => {
    await build({ requireAuth: true });
    const closed = await post(shiploopEvent);
    expect(closed.statusCode).toBe(401);
    expect(closed.json().error).toContain("SHIPLOOP_EVENTS_SECRET");
    await app.close();
    await build({ requireAuth: false });
    expect((await post(shiploopEvent)).statusCode).toBe(202);
  });
});
