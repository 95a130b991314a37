import type { Logger } from "pino";
import type { Config } from "../../config/config.js";
import { PermanentError } from "../../domain/errors.js";
import type { FlagStore, MetricsSource } from "../../domain/ports.js";
import { StatsigConsoleClient } from "./console-client.js";
import { GateVerifier } from "./gate-verifier.js";
import { StatsigFlagStore } from "./statsig-flag-store.js";
import { StatsigResultsSource } from "./statsig-results-source.js";

export { StatsigConsoleClient } from "./console-client.js";
export { OWN_RULE_NAME } from "./gate-rules.js";
export { GateVerifier } from "./gate-verifier.js";
export { StatsigFlagStore } from "./statsig-flag-store.js";
export { StatsigResultsSource } from "./statsig-results-source.js";

/**
 * The live Statsig ports, for when STATSIG_CONSOLE_API_KEY is set: the flag store (gates and
 * experiments, each gate change verified with the server SDK when STATSIG_SERVER_SECRET is
 * set) and the metrics source (Pulse results). One Console API client, so both share its
 * rate limiter.
 */
export function createStatsigPorts(
  config: Config,
  logger: Logger,
): { flags: FlagStore; results: MetricsSource } {
  const apiKey = config.statsigConsoleApiKey;
  if (!apiKey) {
    throw new PermanentError(
      "statsig-not-configured",
      "createStatsigPorts needs STATSIG_CONSOLE_API_KEY; choose the sandbox ports when it is not set",
    );
  }
  const log = logger.child({ port: "statsig" });
  const client = new StatsigConsoleClient({
    apiKey,
    baseUrl: config.statsigConsoleApiUrl,
    logger: log,
  });
  const verifier = config.statsigServerSecret
    ? new GateVerifier({
        serverSecret: config.statsigServerSecret,
        ...(config.statsigSpecsUrl ? { specsUrl: config.statsigSpecsUrl } : {}),
        ...(config.statsigLogEventUrl ? { logEventUrl: config.statsigLogEventUrl } : {}),
        logger: log,
      })
    : undefined;
  return {
    flags: new StatsigFlagStore({ client, verifier, logger: log }),
    results: new StatsigResultsSource({ client, logger: log, windowMs: config.windowMs }),
  };
}
