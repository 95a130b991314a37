import type { EventNames } from "../config/event-names.js";
import type { FunnelSnapshot } from "../domain/funnel-snapshot.js";
import type { DiagnoseSettings } from "./diagnose-settings.js";
import { FunnelAccumulator } from "./funnel-accumulator.js";

export interface DiagnoseOptions {
  settings: DiagnoseSettings;
  names: EventNames;
  /** "Now" in epoch ms for cohort completeness and NRR; default: the latest good event. */
  asOf?: number;
}

/**
 * Diagnoses the funnel from raw event records (`{event, distinct_id, timestamp, properties}`),
 * in any order. Bad records are counted in `snapshot.events`, never thrown. For a stream
 * (a file, PostHog pages), feed a `FunnelAccumulator` directly.
 */
export function diagnose(events: Iterable<unknown>, options: DiagnoseOptions): FunnelSnapshot {
  const acc = new FunnelAccumulator(options.settings, options.names);
  for (const raw of events) acc.add(raw);
  return acc.snapshot(options.asOf);
}
