import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CONSOLE_API_VERSION } from "../../../src/adapters/statsig/console-client.js";
import { createStatsigPorts } from "../../../src/adapters/statsig/index.js";
import { buildConfig } from "../../../src/config/config.js";
import { TransientError, UserError } from "../../../src/domain/errors.js";
import { errorOutcome } from "../../../src/queue/error-outcome.js";
import { FakeStatsig } from "../../fakes/statsig/fake-statsig.js";
import { capturingLogger, kit } from "./statsig-test-kit.js";

let fake: FakeStatsig;
beforeEach(async () => {
  fake = await new FakeStatsig().start();
});
afterEach(async () => {
  await fake.close();
});

describe("StatsigConsoleClient rate limits", () => {
  it("rides out a 429 storm with growing, jittered waits that honour Retry-After", async () => {
    fake.project.addGate({ name: "g" });
    const { client, sleeps } = kit(fake, { maxRateLimitRetries: 5 });
    fake.rateLimitNext(4);

    const res = await client.request("GET", "/gates/g", { subject: "gate g" });

    expect(res.status).toBe(200);
    expect(fake.consoleCalls().map((c) => c.status)).toEqual([429, 429, 429, 429, 200]);
    expect(sleeps).toHaveLength(4);
    // Full-jitter exponential backoff: attempt n waits within [base·2ⁿ/2, base·2ⁿ].
    sleeps.forEach((ms, n) => {
      expect(ms).toBeGreaterThanOrEqual((100 * 2 ** n) / 2);
      expect(ms).toBeLessThanOrEqual(100 * 2 ** n);
    });

    fake.rateLimitNext(1, 3);
    const before = sleeps.length;
    await client.request("GET", "/gates/g", { subject: "gate g" });
    expect(sleeps[before]).toBe(3000);
  });

  it("gives up after its retry cap with a TransientError, so BullMQ retries later", async () => {
    fake.project.addGate({ name: "g" });
    const { flags } = kit(fake, { maxRateLimitRetries: 2 });
    fake.rateLimitNext(100);

    const error = await flags.ensureGateSplit({ gate: "g", percent: 50 }).catch((e) => e);

    expect(error).toBeInstanceOf(TransientError);
    expect(error.code).toBe("statsig-rate-limited");
    expect(error.message).toMatch(/gate g after 3 attempts/);
    expect(errorOutcome(error)).toEqual({ action: "retry" });
    expect(fake.consoleCalls()).toHaveLength(3);
  });

  it("keeps writes under its own limit: never more than max in any window", async () => {
    fake.project.addGate({ name: "g" });
    // A virtual clock shared by the limiter and the fake: arrival times without loopback jitter.
    let clock = 1_000_000;
    fake.now = () => clock;
    const { client } = kit(fake, {
      mutationLimit: { max: 3, windowMs: 250 },
      clock: {
        now: () => clock,
        sleep: async (ms) => {
          clock += ms;
        },
      },
    });

    for (let i = 0; i < 7; i++) {
      await client.request("PUT", "/gates/g/enable", { subject: "gate g" });
    }

    const times = fake.consoleCalls().map((c) => c.at);
    expect(fake.writes()).toHaveLength(7);
    for (const t of times) {
      expect(times.filter((u) => u >= t && u - t < 250).length).toBeLessThanOrEqual(3);
    }
    // Seven writes at three per 250 ms: the limiter waited two windows, not more.
    const span = (times[6] ?? 0) - (times[0] ?? 0);
    expect(span).toBeGreaterThanOrEqual(500);
    expect(span).toBeLessThan(510);
  });
});

describe("StatsigConsoleClient headers", () => {
  it("pins every request to Console API version 20240601; the fake refuses one without it", async () => {
    fake.project.addGate({ name: "g" });
    const { client } = kit(fake);

    await client.request("GET", "/gates/g", { subject: "gate g" });
    await client.request("PUT", "/gates/g/enable", { subject: "gate g" });
    const unpinned = await fetch(`${fake.consoleUrl}/gates/g`, {
      headers: { "STATSIG-API-KEY": fake.apiKey },
    });
    const wrong = await fetch(`${fake.consoleUrl}/gates/g`, {
      headers: { "STATSIG-API-KEY": fake.apiKey, "STATSIG-API-VERSION": "20230101" },
    });

    expect(fake.consoleCalls().map((c) => [c.apiVersion, c.status])).toEqual([
      [CONSOLE_API_VERSION, 200],
      [CONSOLE_API_VERSION, 200],
      [undefined, 400],
      ["20230101", 400],
    ]);
    expect(CONSOLE_API_VERSION).toBe("20240601");
    expect(await unpinned.json()).toEqual({
      status: 400,
      message: "STATSIG-API-VERSION header is required (supported: 20240601)",
    });
    expect(((await wrong.json()) as { message: string }).message).toMatch(
      /Unsupported STATSIG-API-VERSION 20230101/,
    );
  });
});

describe("StatsigConsoleClient errors", () => {
  it("a wrong key blocks with one message naming STATSIG_CONSOLE_API_KEY, never the key", async () => {
    const wrongKey = "console-wrong-key-987654321";
    const { flags, lines } = kit(fake, { apiKey: wrongKey });

    const error = await flags.ensureGateSplit({ gate: "g", percent: 50 }).catch((e) => e);

    expect(error).toBeInstanceOf(UserError);
    expect(error.code).toBe("statsig-auth");
    expect(error.message).toMatch(/STATSIG_CONSOLE_API_KEY/);
    expect(error.message).toMatch(/gate g/);
    expect(errorOutcome(error)).toMatchObject({ action: "block" });
    expect(JSON.stringify(error)).not.toContain(wrongKey);
    expect(error.message).not.toContain(wrongKey);
    expect(lines.join("")).not.toContain(wrongKey);
  });

  it("an unknown experiment to decide names it", async () => {
    const { flags } = kit(fake);
    const error = await flags
      .ensureExperimentDecision("nope_exp", { abandon: true }, "why")
      .catch((e) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(/experiment nope_exp/);
  });

  it("an unreachable Console API is transient", async () => {
    const { flags } = kit(fake);
    await fake.close();
    const error = await flags.ensureGateSplit({ gate: "g", percent: 50 }).catch((e) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect(error.code).toBe("statsig-unreachable");
  });

  it("neither key nor server secret appears in any error or log line", async () => {
    fake.project.addGate({ name: "g" });
    const { logger, lines } = capturingLogger();
    const config = buildConfig({
      STATSIG_CONSOLE_API_KEY: fake.apiKey,
      STATSIG_CONSOLE_API_URL: fake.consoleUrl,
      STATSIG_SERVER_SECRET: "secret-wrong-for-this-project-42",
      STATSIG_SPECS_URL: fake.specsUrl,
    });
    const { flags } = createStatsigPorts(config, logger.child({}));
    const messages: string[] = [];
    const collect = (e: unknown) => {
      messages.push(String((e as Error).message), JSON.stringify(e));
    };

    await flags.ensureGateSplit({ gate: "g", percent: 50 }).catch(collect);
    fake.rateLimitNext(1);
    await flags.ensureGateSplit({ gate: "g", percent: 40 }).catch(collect);
    await fake.close();
    await flags.ensureGateSplit({ gate: "g", percent: 30 }).catch(collect);

    expect(messages.join("\n")).toMatch(/STATSIG_SERVER_SECRET/);
    for (const secret of [fake.apiKey, "secret-wrong-for-this-project-42"]) {
      expect(messages.join("\n")).not.toContain(secret);
      expect(lines.join("")).not.toContain(secret);
    }
  });
});
