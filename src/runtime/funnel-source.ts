import { diagnoseEventsFile } from "../adapters/files/read-events-file.js";
import type { Config } from "../config/config.js";
import type { FunnelSource } from "./backlog-planner.js";

/**
 * Where the weekly kickoff learns which funnel stage leaks most: the events file when one is
 * configured (explicit wins), read afresh at each kickoff; else PostHog when its query API is
 * configured; none otherwise (every stage weighs the same, and the why lines say so).
 */
export function funnelSourceFor(config: Config, posthogFunnel?: FunnelSource): FunnelSource {
  const file = config.eventsFile;
  if (file) return () => diagnoseEventsFile(file, config.diagnose, config.events);
  return posthogFunnel ?? (async () => undefined);
}
