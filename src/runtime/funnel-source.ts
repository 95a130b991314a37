import { diagnoseEventsFile } from "../adapters/files/read-events-file.js";
import type { Config } from "../config/config.js";
import { type RoutedLeads, withRoutedPql } from "../diagnose/with-routed-pql.js";
import type { FunnelSource } from "./backlog-planner.js";

/**
 * Where the weekly kickoff learns which funnel stage leaks most: the events file when one is
 * configured (explicit wins), read afresh at each kickoff; else PostHog when its query API is
 * configured; none otherwise (every stage weighs the same, and the why lines say so).
 * When PQL routing has routed enough leads, PQL conversion is read from them.
 */
export function funnelSourceFor(
  config: Config,
  posthogFunnel?: FunnelSource,
  routedLeads?: () => Promise<RoutedLeads>,
): FunnelSource {
  const file = config.eventsFile;
  const base: FunnelSource = file
    ? () => diagnoseEventsFile(file, config.diagnose, config.events)
    : (posthogFunnel ?? (async () => undefined));
  if (!routedLeads) return base;
  return async () => {
    const snapshot = await base();
    return snapshot ? withRoutedPql(snapshot, await routedLeads(), config.diagnose) : undefined;
  };
}
