import Fastify, { type FastifyInstance } from "fastify";
import { pino } from "pino";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { buildConfig } from "../../src/config/config.js";
import { mountedRoutes } from "../../src/http/mounted-routes.js";
import { isLoopbackHost } from "../../src/pql/http/check-auth.js";
import { createRuntime, type Runtime } from "../../src/runtime/create-runtime.js";
import { REDIS_URL, removePrefix, testRedis, uniquePrefix } from "../support/redis.js";

const cleaner = testRedis();
afterAll(() => cleaner.disconnect());

let app: FastifyInstance | undefined;
let runtime: Runtime | undefined;
let prefix = "";
afterEach(stop);

/** Closes the app and the runtime, then removes the prefix (the queue writes its meta on open). */
async function stop(): Promise<void> {
  await app?.close();
  await runtime?.close();
  if (runtime) await removePrefix(cleaner, prefix);
  app = undefined;
  runtime = undefined;
}

/** The worker's POST /events as mounted on its status server, with these settings. */
async function start(env: Record<string, string>) {
  prefix = uniquePrefix("events-auth");
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const config = buildConfig({ REDIS_URL, SHIPLOOP_PREFIX: prefix, ...env });
  runtime = createRuntime(config, logger);
  const server = Fastify();
  app = server;
  for (const route of mountedRoutes(runtime, config))
    if (route.name === "events") await server.register(route.plugin);
  await server.ready();
  const post = async (headers: Record<string, string> = {}) => {
    const res = await server.inject({
      method: "POST",
      url: "/events",
      payload: JSON.stringify({
        event: "viewed_pricing",
        distinct_id: `u-${Math.random()}`,
        timestamp: "2026-03-02T09:00:00Z",
      }),
      headers: { "content-type": "application/json", ...headers },
    });
    return { status: res.statusCode, error: (res.json() as { error?: string }).error };
  };
  const warnings = () => lines.filter((l) => l.level === 40).map((l) => l.msg);
  return { post, warnings };
}

describe("POST /events authentication", () => {
  it("takes the events secret when it is set, and then not the page token", async () => {
    const { post } = await start({
      SHIPLOOP_EVENTS_SECRET: "events-secret",
      SHIPLOOP_HTTP_TOKEN: "page-token",
    });
    expect((await post({ "x-shiploop-secret": "events-secret" })).status).toBe(202);
    expect((await post({ authorization: "Bearer events-secret" })).status).toBe(202);
    expect((await post({ authorization: "Bearer page-token" })).status).toBe(401);
    const none = await post();
    expect(none.status).toBe(401);
    expect(none.error).toContain("SHIPLOOP_EVENTS_SECRET");
  });

  it("takes the page token when only SHIPLOOP_HTTP_TOKEN is set", async () => {
    const { post, warnings } = await start({
      SHIPLOOP_HTTP_TOKEN: "page-token",
      SHIPLOOP_HTTP_HOST: "0.0.0.0",
    });
    const none = await post();
    expect(none.status).toBe(401);
    expect(none.error).toContain("SHIPLOOP_HTTP_TOKEN");
    expect((await post({ authorization: "Bearer wrong" })).status).toBe(401);
    expect((await post({ authorization: "Bearer page-token" })).status).toBe(202);
    expect((await post({ "x-shiploop-secret": "page-token" })).status).toBe(202);
    expect(warnings()).toEqual([]);
  });

  it("is open when neither is set, and warns at start only off loopback", async () => {
    const loopback = await start({ SHIPLOOP_HTTP_HOST: "127.0.0.1" });
    expect((await loopback.post()).status).toBe(202);
    expect(loopback.warnings()).toEqual([]);
    await stop();

    const exposed = await start({ SHIPLOOP_HTTP_HOST: "0.0.0.0", SHIPLOOP_HTTP_PORT: "9090" });
    expect((await exposed.post()).status).toBe(202);
    expect(exposed.warnings()).toEqual([
      "POST /events takes events from anyone who can reach 0.0.0.0:9090; set SHIPLOOP_EVENTS_SECRET or SHIPLOOP_HTTP_TOKEN",
    ]);
  });

  it("is closed when neither is set but a live CRM would get the leads", async () => {
    const { post, warnings } = await start({
      HUBSPOT_ACCESS_TOKEN: "hubspot-token",
      SHIPLOOP_HTTP_HOST: "0.0.0.0",
    });
    const res = await post();
    expect(res.status).toBe(401);
    expect(res.error).toContain("SHIPLOOP_EVENTS_SECRET");
    expect(warnings()).toEqual([]);
  });

  it.each([
    ["127.0.0.1", true],
    ["127.1.2.3", true],
    ["localhost", true],
    ["::1", true],
    ["[::1]", true],
    ["0.0.0.0", false],
    ["::", false],
    ["10.0.0.5", false],
    ["shiploop.internal", false],
  ])("knows %s is loopback: %s", (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});
