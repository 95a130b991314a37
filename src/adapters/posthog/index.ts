import type { Logger } from "pino";
import type { Config } from "../../config/config.js";
import { UserError } from "../../domain/errors.js";
import type { FunnelSnapshot } from "../../domain/funnel-snapshot.js";
import type { MetricsSource, Telemetry } from "../../domain/ports.js";
import { posthogFunnelSource } from "./posthog-funnel-source.js";
import { PostHogMetricsSource } from "./posthog-metrics-source.js";
import { createPostHogTelemetry, LogTelemetry } from "./posthog-telemetry.js";
import { PostHogQueryClient, type QueryClientOptions } from "./query-client.js";

export { PostHogMetricsSource } from "./posthog-metrics-source.js";
export { LogTelemetry, PostHogTelemetry } from "./posthog-telemetry.js";
export { PostHogQueryClient } from "./query-client.js";
export { posthogFunnelSource };

/** PostHog Cloud (US) when POSTHOG_HOST is not set. */
export const DEFAULT_POSTHOG_HOST = "https://us.posthog.com";

export interface PostHogPorts {
  /** Live experiment metrics: set when POSTHOG_PERSONAL_API_KEY and POSTHOG_PROJECT_ID are. */
  metrics?: MetricsSource;
  /** The funnel diagnosis in PostHog: set under the same condition. */
  funnel?: () => Promise<FunnelSnapshot>;
  /** posthog-node when POSTHOG_PROJECT_API_KEY is set, else the log. */
  telemetry: Telemetry;
}

type PostHogConfig = Pick<
  Config,
  | "posthogHost"
  | "posthogProjectApiKey"
  | "posthogPersonalApiKey"
  | "posthogProjectId"
  | "diagnose"
  | "events"
>;

/**
 * The PostHog ports that the settings allow. The query API needs a personal API key and a
 * project id (a key without a project id is a UserError naming POSTHOG_PROJECT_ID, not a
 * silent fallback to sandbox); telemetry needs the project API key. One query client (one
 * limiter) is shared by the metrics and funnel sources, so together they stay under PostHog's
 * limits.
 */
export function createPostHogPorts(
  config: PostHogConfig,
  logger: Logger,
  overrides: Partial<Pick<QueryClientOptions, "fetch" | "sleep" | "limits">> = {},
): PostHogPorts {
  const host = config.posthogHost ?? DEFAULT_POSTHOG_HOST;
  const log = logger.child({ port: "posthog" });
  const telemetry: Telemetry = config.posthogProjectApiKey
    ? createPostHogTelemetry({ host, projectApiKey: config.posthogProjectApiKey }, log)
    : new LogTelemetry(log);
  const key = config.posthogPersonalApiKey;
  if (!key) return { telemetry };
  if (!config.posthogProjectId) {
    throw new UserError(
      "posthog-project",
      "POSTHOG_PERSONAL_API_KEY is set but POSTHOG_PROJECT_ID is not: set the numeric id of the PostHog project to query (Project settings → Project ID)",
    );
  }
  const client = new PostHogQueryClient({
    host,
    projectId: config.posthogProjectId,
    personalApiKey: key,
    logger: log,
    ...overrides,
  });
  return {
    metrics: new PostHogMetricsSource(client),
    funnel: posthogFunnelSource(client, config.diagnose, config.events),
    telemetry,
  };
}
