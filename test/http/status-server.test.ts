import { createHmac } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { carriesToken } from "../../src/http/check-token.js";
import {
  buildStatusServer,
  type StatusServerDeps,
  startStatusServer,
} from "../../src/http/status-server.js";
import { NOW, type SeededSandbox, seedSandbox } from "./seed-sandbox.js";

const TOKEN = "server-test-token";
const SECRET = "webhook-secret";

let seeded: SeededSandbox;
let baseDeps: StatusServerDeps;
let app: FastifyInstance;
let metricsBefore: Map<string, number>;

/** Parses Prometheus text exposition strictly: every line a comment or `name{labels} value`. */
function parsePrometheus(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  const types = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      if (meta[1] === "TYPE") {
        expect(["counter", "gauge", "histogram", "summary", "untyped"]).toContain(meta[3]);
        types.set(meta[2] as string, meta[3] as string);
      }
      continue;
    }
    const sample =
      /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (\S+)( \d+)?$/.exec(
        line,
      );
    if (!sample) throw new Error(`not Prometheus text: ${line}`);
    const value = Number(sample[3] === "+Inf" ? Number.POSITIVE_INFINITY : sample[3]);
    expect(Number.isNaN(value), line).toBe(false);
    samples.set(`${sample[1]}${sample[2] ?? ""}`, value);
  }
  expect(types.size).toBeGreaterThan(0);
  return samples;
}

async function scrape(): Promise<Map<string, number>> {
  const response = await app.inject({
    url: "/metrics",
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  expect(response.statusCode).toBe(200);
  expect(response.headers["content-type"]).toContain("text/plain");
  return parsePrometheus(response.body);
}

beforeAll(async () => {
  // The registry counts for the whole process: measure the sandbox cycle as a difference.
  const { registry } = await import("../../src/observability/metrics-registry.js");
  metricsBefore = parsePrometheus(await registry.metrics());
  seeded = await seedSandbox("server");
  const { ctx, redis, worker } = seeded.runtime;
  baseDeps = {
    config: { ...ctx.config, httpToken: TOKEN },
    redis,
    ledger: ctx.ledger,
    queue: ctx.queue,
    ...(worker ? { worker } : {}),
    now: () => NOW,
    routes: [
      {
        name: "signed-webhook",
        auth: "own",
        prefix: "/webhooks",
        plugin: async (scope) => {
          scope.post("/github", async (request, reply) => {
            const signature = `sha256=${createHmac("sha256", SECRET)
              .update(request.rawBody ?? Buffer.alloc(0))
              .digest("hex")}`;
            if (request.headers["x-hub-signature-256"] !== signature)
              return reply.code(401).send({ ok: false });
            return {
              ok: true,
              action: (request.body as { action?: string }).action,
              bytes: request.rawBody?.length,
            };
          });
        },
      },
      {
        name: "token-route",
        auth: "token",
        plugin: async (scope) => {
          scope.post("/events", async (request) => ({
            raw: request.rawBody?.toString("utf8"),
            isBuffer: Buffer.isBuffer(request.body),
          }));
        },
      },
    ],
  };
  app = await buildStatusServer(baseDeps);
});

afterAll(async () => {
  await app?.close();
  await seeded?.close();
});

describe("/metrics", () => {
  it("parses as Prometheus text and counts the sandbox cycles and their verdicts", async () => {
    const after = await scrape();
    const delta = (name: string) => (after.get(name) ?? 0) - (metricsBefore.get(name) ?? 0);
    expect(delta("shiploop_cycles_started_total")).toBe(4);
    const verdicts = ["ship", "rollback", "inconclusive"].flatMap((decision) =>
      ["true", "false"].map((early) =>
        delta(`shiploop_verdicts_total{decision="${decision}",early="${early}"}`),
      ),
    );
    expect(verdicts.reduce((a, b) => a + b, 0)).toBe(4);
    expect(
      delta('shiploop_job_duration_seconds_count{job="verdict",outcome="ok"}'),
    ).toBeGreaterThan(0);
    expect(after.get('shiploop_queue_jobs{state="failed"}')).toBe(0);
    expect(after.get("shiploop_live_experiments")).toBe(0);
    expect(after.has("shiploop_process_resident_memory_bytes")).toBe(true);
  });
});

describe("/healthz", () => {
  it("is open, and says Redis answers, the worker is alive and when the last kickoff was", async () => {
    const response = await app.inject({ url: "/healthz" });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      ok: true,
      redis: { ok: true },
      worker: { alive: true, inProcess: true },
      lastKickoff: { week: "2026-W49" },
    });
    expect(body.worker.workersOnQueue).toBeGreaterThanOrEqual(1);
    expect(Date.parse(body.lastKickoff.at)).not.toBeNaN();
  });

  it("answers 503 quickly when Redis does not", async () => {
    const down = await buildStatusServer({
      ...baseDeps,
      redis: { ping: () => new Promise<string>(() => {}) },
      worker: { isRunning: () => true, closing: undefined },
    });
    const started = Date.now();
    const response = await down.inject({ url: "/healthz" });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      ok: false,
      redis: { ok: false, error: expect.stringContaining("PING") },
    });
    await down.close();
  });

  it("answers 503 when this process's worker is closing", async () => {
    const closing = await buildStatusServer({
      ...baseDeps,
      worker: { isRunning: () => true, closing: Promise.resolve() },
    });
    const response = await closing.inject({ url: "/healthz" });
    expect(response.statusCode).toBe(503);
    expect(response.json().worker).toMatchObject({ alive: false, inProcess: false });
    await closing.close();
  });
});

describe("mounted routes", () => {
  it("give a signed webhook the raw body and skip the page token for routes with their own auth", async () => {
    const payload = Buffer.from('{"action":"closed",  "number": 12}');
    const signature = `sha256=${createHmac("sha256", SECRET).update(payload).digest("hex")}`;
    const ok = await app.inject({
      method: "POST",
      url: "/webhooks/github",
      payload,
      headers: { "content-type": "application/json", "x-hub-signature-256": signature },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ ok: true, action: "closed", bytes: payload.length });
    const forged = await app.inject({
      method: "POST",
      url: "/webhooks/github",
      payload: '{"action":"opened"}',
      headers: { "content-type": "application/json", "x-hub-signature-256": signature },
    });
    expect(forged.statusCode).toBe(401);
    const broken = await app.inject({
      method: "POST",
      url: "/webhooks/github",
      payload: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(broken.statusCode).toBe(400);
  });

  it("put routes with auth: token behind the page token, and keep non-JSON bodies as Buffers", async () => {
    const ndjson = '{"event":"signed_up"}\n{"event":"activated"}\n';
    const denied = await app.inject({
      method: "POST",
      url: "/events",
      payload: ndjson,
      headers: { "content-type": "application/x-ndjson" },
    });
    expect(denied.statusCode).toBe(401);
    const allowed = await app.inject({
      method: "POST",
      url: "/events",
      payload: ndjson,
      headers: { "content-type": "application/x-ndjson", authorization: `Bearer ${TOKEN}` },
    });
    expect(allowed.statusCode).toBe(200);
    expect(allowed.json()).toEqual({ raw: ndjson, isBuffer: true });
  });
});

describe("pages", () => {
  it("send a strict content security policy and escape an unknown id on the 404 page", async () => {
    const home = await app.inject({ url: "/", headers: { authorization: `Bearer ${TOKEN}` } });
    expect(home.statusCode).toBe(200);
    expect(home.headers["content-security-policy"]).toContain("script-src 'self'");
    const missing = await app.inject({
      url: `/experiments/${encodeURIComponent("<script>x</script>")}`,
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain("&lt;script&gt;x&lt;/script&gt;");
    expect(missing.body).not.toContain("<script>x");
  });

  it("need no token when SHIPLOOP_HTTP_TOKEN is unset", async () => {
    const open = await buildStatusServer({
      ...baseDeps,
      config: { ...baseDeps.config, httpToken: undefined },
    });
    expect((await open.inject({ url: "/" })).statusCode).toBe(200);
    expect((await open.inject({ url: "/metrics" })).statusCode).toBe(200);
    await open.close();
  });
});

describe("the token check", () => {
  it("accepts bearer and basic (any user, token as password), nothing else", () => {
    const basic = (user: string, pass: string) =>
      `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;
    expect(carriesToken(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(carriesToken(`bearer  ${TOKEN}`, TOKEN)).toBe(true);
    expect(carriesToken(basic("lead", TOKEN), TOKEN)).toBe(true);
    expect(carriesToken(basic(TOKEN, "x"), TOKEN)).toBe(false);
    expect(carriesToken(`Bearer ${TOKEN}x`, TOKEN)).toBe(false);
    expect(carriesToken(TOKEN, TOKEN)).toBe(false);
    expect(carriesToken(undefined, TOKEN)).toBe(false);
  });
});

describe("startStatusServer", () => {
  it("binds the configured host and says clearly when the port is taken", async () => {
    const first = await startStatusServer({ ...baseDeps, port: 0 });
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const port = Number(new URL(first.url).port);
    await expect(startStatusServer({ ...baseDeps, port })).rejects.toThrow(
      `SHIPLOOP_HTTP_PORT ${port} is already in use on 127.0.0.1`,
    );
    await first.close();
  });
});
