import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { createGitHubCodeHost, hasGitHubCredentials } from "../adapters/github/index.js";
import { createPostHogPorts } from "../adapters/posthog/index.js";
import { SandboxCodeHost } from "../adapters/sandbox/sandbox-code-host.js";
import { SandboxFlagStore } from "../adapters/sandbox/sandbox-flag-store.js";
import { SandboxMetrics } from "../adapters/sandbox/sandbox-metrics.js";
import { createStatsigPorts } from "../adapters/statsig/index.js";
import type { Config } from "../config/config.js";
import { DAYS_PER_WINDOW } from "../domain/experiment.js";
import type { FunnelSnapshot } from "../domain/funnel-snapshot.js";
import type { CodeHost, FlagStore, MetricsSource, PortMode, Telemetry } from "../domain/ports.js";

export interface Ports {
  codeHost: CodeHost;
  flags: FlagStore;
  metrics: MetricsSource;
  telemetry: Telemetry;
  /** PostHog's funnel diagnosis, when its query API is configured. */
  posthogFunnel?: () => Promise<FunnelSnapshot>;
}

/**
 * Each port chooses for itself: live when its credentials are set, otherwise sandbox, so a team
 * can open real pull requests while flags are still simulated.
 * Metrics: when Statsig runs the split, its Pulse results measure it; else PostHog's events
 * when its query API is configured; else the simulated users.
 */
export function choosePorts(config: Config, redis: Redis, logger: Logger): Ports {
  const statsig = config.statsigConsoleApiKey ? createStatsigPorts(config, logger) : undefined;
  const posthog = createPostHogPorts(config, logger);
  const mergeDelay = config.sandboxMergeDelayMs ?? config.windowMs / DAYS_PER_WINDOW / 2;
  return {
    codeHost: hasGitHubCredentials(config)
      ? createGitHubCodeHost(config, logger)
      : new SandboxCodeHost(redis, config.prefix, mergeDelay),
    flags: statsig?.flags ?? new SandboxFlagStore(redis, config.prefix),
    metrics: statsig?.results ?? posthog.metrics ?? new SandboxMetrics(config.sandboxUsersPerDay),
    telemetry: posthog.telemetry,
    ...(posthog.funnel ? { posthogFunnel: posthog.funnel } : {}),
  };
}

/**
 * The mode each port will run in under these settings, without creating any client: what
 * `choosePorts` picks, for `shiploop status`.
 */
export function portModes(
  config: Config,
): Record<"github" | "statsig" | "metrics" | "telemetry", PortMode> {
  const live = (on: unknown): PortMode => (on ? "live" : "sandbox");
  return {
    github: live(hasGitHubCredentials(config)),
    statsig: live(config.statsigConsoleApiKey),
    metrics: live(config.statsigConsoleApiKey || config.posthogPersonalApiKey),
    telemetry: live(config.posthogProjectApiKey),
  };
}

export function describeModes(ports: Ports): Record<string, string> {
  return {
    github: ports.codeHost.mode,
    statsig: ports.flags.mode,
    metrics: ports.metrics.mode,
    telemetry: ports.telemetry.mode,
  };
}
