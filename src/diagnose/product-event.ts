/** One product event, as the events file and PostHog both describe it, with its time parsed. */
export interface ProductEvent {
  event: string;
  distinctId: string;
  /** Epoch milliseconds. */
  time: number;
  properties: Record<string, unknown>;
}

export type BadEventReason =
  | "not-json"
  | "not-an-object"
  | "missing-event"
  | "missing-distinct-id"
  | "bad-timestamp"
  | "bad-properties"
  | "bad-mrr";

export type ParsedEvent = { ok: true; event: ProductEvent } | { ok: false; reason: BadEventReason };

/** `2026-01-05`, `2026-01-05T09:00:00Z`, `2026-01-05T09:00:00.123+01:00`: ISO dates only. */
const ISO_TIME =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Checks one raw `{event, distinct_id, timestamp, properties}` record by hand rather than with
 * zod: it runs once per event, a million times per diagnosis. A timestamp is an ISO string or
 * epoch milliseconds; a numeric distinct_id is accepted and turned into text.
 */
export function parseProductEvent(raw: unknown): ParsedEvent {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return { ok: false, reason: "not-an-object" };
  }
  const r = raw as Record<string, unknown>;
  if (typeof r.event !== "string" || r.event === "") return { ok: false, reason: "missing-event" };
  const id = r.distinct_id;
  let distinctId: string;
  if (typeof id === "string" && id !== "") distinctId = id;
  else if (typeof id === "number" && Number.isFinite(id)) distinctId = String(id);
  else return { ok: false, reason: "missing-distinct-id" };
  const time = parseTime(r.timestamp);
  if (time === undefined) return { ok: false, reason: "bad-timestamp" };
  const props = r.properties;
  if (
    props !== undefined &&
    (props === null || typeof props !== "object" || Array.isArray(props))
  ) {
    return { ok: false, reason: "bad-properties" };
  }
  return {
    ok: true,
    event: {
      event: r.event,
      distinctId,
      time,
      properties: (props ?? {}) as Record<string, unknown>,
    },
  };
}

function parseTime(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string" || !ISO_TIME.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
