import { diagnoseEventsFile } from "../adapters/files/read-events-file.js";
import type { Config } from "../config/config.js";
import type { FunnelSource } from "./backlog-planner.js";

/**
 * Where the weekly kickoff learns which funnel stage leaks most: the events file when one is
 * configured, read afresh at each kickoff; none otherwise (every stage weighs the same, and
 * the ranking's why lines say so).
 */
export function funnelSourceFor(config: Config): FunnelSource {
  const file = config.eventsFile;
  if (!file) return async () => undefined;
  return () => diagnoseEventsFile(file, config.diagnose, config.events);
}
