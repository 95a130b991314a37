import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { buildConfig } from "../../src/config/config.js";
import { choosePorts, describeModes, portModes } from "../../src/runtime/choose-ports.js";
import { testRedis } from "../support/redis.js";

const redis = testRedis();
afterAll(() => redis.disconnect());
const logger = pino({ level: "silent" });

describe("each port chooses its mode from its own credentials", () => {
  it.each([
    [
      "nothing set: all sandbox",
      {},
      { github: "sandbox", statsig: "sandbox", metrics: "sandbox", telemetry: "sandbox" },
    ],
    [
      "GitHub only: real pull requests, simulated flags",
      { GITHUB_TOKEN: "ghp_example_token_1234" },
      { github: "live", statsig: "sandbox", metrics: "sandbox", telemetry: "sandbox" },
    ],
    [
      "Statsig: its Pulse results measure what it splits",
      { STATSIG_CONSOLE_API_KEY: "console-example-key" },
      { github: "sandbox", statsig: "live", metrics: "live", telemetry: "sandbox" },
    ],
    [
      "PostHog: metrics from its events, telemetry to its project",
      {
        POSTHOG_PERSONAL_API_KEY: "phx_example_key",
        POSTHOG_PROJECT_ID: "12345",
        POSTHOG_PROJECT_API_KEY: "phc_example_key",
      },
      { github: "sandbox", statsig: "sandbox", metrics: "live", telemetry: "live" },
    ],
  ])("%s", (_name, env, expected) => {
    const config = buildConfig(env);
    expect(describeModes(choosePorts(config, redis, logger))).toEqual(expected);
    // `shiploop status` says the same without creating any client.
    expect(portModes(config)).toEqual(expected);
  });
});
