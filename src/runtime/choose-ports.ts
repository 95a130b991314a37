import type { Redis } from "ioredis";
import { SandboxCodeHost } from "../adapters/sandbox/sandbox-code-host.js";
import { SandboxFlagStore } from "../adapters/sandbox/sandbox-flag-store.js";
import { SandboxMetrics } from "../adapters/sandbox/sandbox-metrics.js";
import type { Config } from "../config/config.js";
import { UserError } from "../domain/errors.js";
import { DAYS_PER_WINDOW } from "../domain/experiment.js";
import type { CodeHost, FlagStore, MetricsSource } from "../domain/ports.js";

export interface Ports {
  codeHost: CodeHost;
  flags: FlagStore;
  metrics: MetricsSource;
}

/**
 * Each port chooses for itself: live when its credentials are set, otherwise sandbox.
 * A credential for a live adapter this build does not have is refused rather than ignored,
 * so nobody believes they are opening real pull requests while shiploop simulates them.
 */
export function choosePorts(config: Config, redis: Redis): Ports {
  const missingLive = [
    config.githubToken || config.githubAppId ? "GITHUB_TOKEN / GITHUB_APP_ID (GitHub)" : undefined,
    config.statsigConsoleApiKey ? "STATSIG_CONSOLE_API_KEY (Statsig)" : undefined,
    config.posthogPersonalApiKey ? "POSTHOG_PERSONAL_API_KEY (PostHog)" : undefined,
  ].filter(Boolean);
  if (missingLive.length > 0) {
    throw new UserError(
      "live-adapter-missing",
      `${missingLive.join(", ")} is set, but this build has no live adapter for it yet; unset it to run that port in sandbox mode`,
    );
  }
  const mergeDelay = config.sandboxMergeDelayMs ?? config.windowMs / DAYS_PER_WINDOW / 2;
  return {
    codeHost: new SandboxCodeHost(redis, config.prefix, mergeDelay),
    flags: new SandboxFlagStore(redis, config.prefix),
    metrics: new SandboxMetrics(config.sandboxUsersPerDay),
  };
}

export function describeModes(ports: Ports): Record<string, string> {
  return { github: ports.codeHost.mode, statsig: ports.flags.mode, metrics: ports.metrics.mode };
}
