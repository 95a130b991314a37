/** Small builders for hand-computed event sets. Not a test file: vitest only runs *.test.ts. */

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const MINUTE = 60_000;

export interface RawEvent {
  event: string;
  distinct_id: string;
  timestamp: string;
  properties?: Record<string, unknown>;
}

/** An event at `base + offsetMs`. */
export function at(
  base: string,
  offsetMs: number,
  event: string,
  id: string,
  properties?: Record<string, unknown>,
): RawEvent {
  const timestamp = new Date(Date.parse(base) + offsetMs).toISOString();
  return properties
    ? { event, distinct_id: id, timestamp, properties }
    : { event, distinct_id: id, timestamp };
}
