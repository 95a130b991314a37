import { type AddressInfo, createServer, type Socket } from "node:net";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createPostHogTelemetry,
  LogTelemetry,
} from "../../../src/adapters/posthog/posthog-telemetry.js";
import { FakePostHog } from "../../fakes/posthog/fake-posthog.js";

function memoryLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino({ level: "debug" }, stream), lines };
}

const waitFor = async (check: () => boolean, ms = 5_000) => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 10));
  }
};

let fake: FakePostHog;
beforeEach(async () => {
  fake = await FakePostHog.start();
});
afterEach(() => fake.close());

describe("PostHog telemetry", () => {
  it("delivers shiploop's events in batches as posthog-node sends them, and shutdown flushes the rest", async () => {
    const { logger } = memoryLogger();
    const telemetry = createPostHogTelemetry(
      { host: fake.url, projectApiKey: fake.projectApiKey, flushAt: 2, flushIntervalMs: 60_000 },
      logger,
    );
    expect(telemetry.mode).toBe("live");
    telemetry.capture("shiploop experiment shipped", {
      item: "onboarding-three-steps",
      stage: "activation",
      experimentId: "2026-W06--onboarding-three-steps",
    });
    telemetry.capture("shiploop verdict reached", {
      item: "onboarding-three-steps",
      stage: "activation",
      lift: 0.075,
      decision: "ship",
    });
    await waitFor(() => fake.captured.length === 2);
    telemetry.capture("shiploop verdict reached", {
      item: "pricing-page",
      decision: "inconclusive",
    });
    expect(fake.captured).toHaveLength(2);
    await telemetry.shutdown();

    expect(fake.batches.length).toBeGreaterThanOrEqual(2);
    expect(fake.batches.every((b) => b.apiKey === fake.projectApiKey)).toBe(true);
    expect(fake.batches.some((b) => b.gzip)).toBe(true);
    expect(
      fake.captured.map((e) => ({
        event: e.event,
        distinct_id: e.distinct_id,
        item: (e.properties as Record<string, unknown>).item,
        decision: (e.properties as Record<string, unknown>).decision,
        lift: (e.properties as Record<string, unknown>).lift,
        noPerson: (e.properties as Record<string, unknown>).$process_person_profile,
      })),
    ).toEqual([
      {
        event: "shiploop experiment shipped",
        distinct_id: "shiploop",
        item: "onboarding-three-steps",
        decision: undefined,
        lift: undefined,
        noPerson: false,
      },
      {
        event: "shiploop verdict reached",
        distinct_id: "shiploop",
        item: "onboarding-three-steps",
        decision: "ship",
        lift: 0.075,
        noPerson: false,
      },
      {
        event: "shiploop verdict reached",
        distinct_id: "shiploop",
        item: "pricing-page",
        decision: "inconclusive",
        lift: undefined,
        noPerson: false,
      },
    ]);
    expect(fake.unexpected).toEqual([]);
  });

  it("never throws or blocks when PostHog is unreachable: the failure is logged", async () => {
    const { logger, lines } = memoryLogger();
    const down = `http://127.0.0.1:${await closedPort()}`;
    const telemetry = createPostHogTelemetry(
      { host: down, projectApiKey: "phc_x", flushAt: 1, timeoutMs: 2_000 },
      logger,
    );
    expect(() =>
      telemetry.capture("shiploop verdict reached", { item: "x", decision: "ship" }),
    ).not.toThrow();
    await telemetry.shutdown();
    expect(lines.some((l) => l.level === 40)).toBe(true);
  });

  it("bounds shutdown when PostHog accepts the connection but never answers", async () => {
    const { logger, lines } = memoryLogger();
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const telemetry = createPostHogTelemetry(
        { host: `http://127.0.0.1:${port}`, projectApiKey: "phc_x", flushAt: 1, timeoutMs: 300 },
        logger,
      );
      telemetry.capture("shiploop verdict reached", { item: "x", decision: "ship" });
      // Resolves although the request hangs: the test would time out otherwise.
      await telemetry.shutdown();
      expect(sockets.size).toBeGreaterThan(0);
      expect(lines.some((l) => l.level === 40 && /timed out|failed/.test(String(l.msg)))).toBe(
        true,
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("logs instead of sending in sandbox mode", async () => {
    const { logger, lines } = memoryLogger();
    const telemetry = new LogTelemetry(logger);
    expect(telemetry.mode).toBe("sandbox");
    telemetry.capture("shiploop experiment shipped", { item: "a" });
    await telemetry.flush();
    expect(lines.map((l) => [l.telemetry, l.properties])).toEqual([
      ["shiploop experiment shipped", { item: "a" }],
    ]);
  });
});

async function closedPort(): Promise<number> {
  const probe = await FakePostHog.start();
  const port = Number(new URL(probe.url).port);
  await probe.close();
  return port;
}
