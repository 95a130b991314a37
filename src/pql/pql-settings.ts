import type { Config } from "../config/config.js";

/** The settings PQL routing reads (SHIPLOOP_PQL_DIR, SHIPLOOP_SEGMENT_SECRET, SHIPLOOP_PQL_DEDUPE_TTL). */
export interface PqlSettings {
  pqlDir: string;
  segmentSecret: string | undefined;
  dedupeTtlMs: number;
}

export function pqlSettingsOf(
  config: Pick<Config, "pqlDir" | "segmentSecret" | "pqlDedupeTtlMs">,
): PqlSettings {
  return {
    pqlDir: config.pqlDir,
    segmentSecret: config.segmentSecret,
    dedupeTtlMs: config.pqlDedupeTtlMs,
  };
}
