import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createPostHogPorts, PostHogTelemetry } from "../../../src/adapters/posthog/index.js";
import { buildConfig } from "../../../src/config/config.js";
import { UserError } from "../../../src/domain/errors.js";

const logger = pino({ level: "silent" });

describe("createPostHogPorts", () => {
  it("gives only log telemetry when no PostHog setting is present", () => {
    const ports = createPostHogPorts(buildConfig({}), logger);
    expect(ports.metrics).toBeUndefined();
    expect(ports.funnel).toBeUndefined();
    expect(ports.telemetry.mode).toBe("sandbox");
  });

  it("refuses a personal key without a project id, naming POSTHOG_PROJECT_ID", () => {
    const config = buildConfig({ POSTHOG_PERSONAL_API_KEY: "phx_secret" });
    expect(() => createPostHogPorts(config, logger)).toThrow(UserError);
    expect(() => createPostHogPorts(config, logger)).toThrow(/POSTHOG_PROJECT_ID/);
  });

  it("goes live for metrics, funnel and telemetry when every setting is present", async () => {
    const ports = createPostHogPorts(
      buildConfig({
        POSTHOG_HOST: "http://127.0.0.1:9",
        POSTHOG_PROJECT_API_KEY: "phc_project",
        POSTHOG_PERSONAL_API_KEY: "phx_secret",
        POSTHOG_PROJECT_ID: "12345",
      }),
      logger,
    );
    expect(ports.metrics?.mode).toBe("live");
    expect(typeof ports.funnel).toBe("function");
    expect(ports.telemetry).toBeInstanceOf(PostHogTelemetry);
    await (ports.telemetry as PostHogTelemetry).shutdown();
  });
});
