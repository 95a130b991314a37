import { createHash } from "node:crypto";
import { z } from "zod";

/** One product event as the intake stores it, whatever shape it arrived in. */
export interface IntakeEvent {
  id: string;
  event: string;
  userId: string;
  accountId?: string;
  /** The event's own time (ms since epoch): windows are measured in it, not in arrival order. */
  timestamp: number;
  properties: Record<string, unknown>;
  email?: string;
  source: "shiploop" | "posthog" | "segment";
}

export type NormalizeResult =
  | { ok: true; events: IntakeEvent[] }
  | { ok: false; reason: string; code: string };

/** Events more than this far ahead of the receiving clock are refused as a bad clock. */
const MAX_FUTURE_MS = 3_600_000;
const MAX_BATCH = 1_000;

const properties = z.record(z.string(), z.unknown());
const timestamp = z.union([z.string().min(1), z.number()], {
  error: "expected an ISO 8601 time or epoch milliseconds",
});
const text = (what: string) =>
  z.string({ error: `expected ${what} (a string)` }).min(1, `is empty; expected ${what}`);

const ShiploopEvent = z.object({
  id: z.string().min(1).optional(),
  uuid: z.string().min(1).optional(),
  event: text("the event name"),
  distinct_id: z.union([z.string().min(1), z.number()], {
    error: "expected the user's distinct_id",
  }),
  timestamp,
  properties: properties.optional(),
});

const PostHogWebhook = z.object({
  event: z.object({
    uuid: text("the event uuid"),
    event: text("the event name"),
    distinct_id: z.union([z.string().min(1), z.number()], {
      error: "expected the user's distinct_id",
    }),
    timestamp,
    properties: properties.optional(),
  }),
  person: z.object({ id: z.string().optional(), properties: properties.optional() }).nullish(),
});

const SegmentTrack = z.object({
  type: z.literal("track", { error: 'expected a track call (type "track")' }).optional(),
  messageId: text("the messageId"),
  userId: z.string().min(1).nullish(),
  anonymousId: z.string().min(1).nullish(),
  event: text("the event name"),
  properties: properties.optional(),
  timestamp,
  context: z
    .object({ traits: properties.optional(), groupId: z.string().optional() })
    .passthrough()
    .optional(),
});

/**
 * Reads a request body in any of the three accepted shapes — shiploop's own
 * `{event, distinct_id, timestamp, properties}`, a PostHog webhook destination payload
 * (`{event: {uuid, …}, person}`) or a Segment track call (`messageId`, `userId`, …) — one event,
 * a JSON array of them or `{batch: [...]}`. All or nothing: the first bad event is the reason.
 */
export function normalizeEvents(body: unknown, now: number): NormalizeResult {
  const list = Array.isArray(body)
    ? body
    : isObject(body) && Array.isArray(body.batch)
      ? body.batch
      : [body];
  if (list.length === 0) return bad("empty", "no events in the body");
  if (list.length > MAX_BATCH)
    return bad(
      "batch-too-large",
      `${list.length} events in one request; expected at most ${MAX_BATCH}`,
    );
  const events: IntakeEvent[] = [];
  for (const [index, item] of list.entries()) {
    const where = list.length > 1 || Array.isArray(body) ? `events[${index}]` : "body";
    const result = normalizeOne(item, now);
    if (!result.ok) return { ok: false, code: result.code, reason: `${where}: ${result.reason}` };
    events.push(result.event);
  }
  return { ok: true, events };
}

type OneResult = { ok: true; event: IntakeEvent } | { ok: false; reason: string; code: string };

function normalizeOne(item: unknown, now: number): OneResult {
  if (!isObject(item)) return bad("not-an-object", "expected a JSON object");
  if (isObject(item.event)) {
    const parsed = PostHogWebhook.safeParse(item);
    if (!parsed.success) return zodBad(parsed.error);
    const { event, person } = parsed.data;
    const props = event.properties ?? {};
    return finish(
      {
        id: event.uuid,
        event: event.event,
        userId: String(event.distinct_id),
        properties: props,
        email: stringOf(props.email) ?? stringOf(person?.properties?.email),
        source: "posthog",
      },
      event.timestamp,
      now,
    );
  }
  if ("messageId" in item || item.type === "track") {
    const parsed = SegmentTrack.safeParse(item);
    if (!parsed.success) return zodBad(parsed.error);
    const track = parsed.data;
    const userId = track.userId ?? track.anonymousId;
    if (!userId) return bad("invalid", "userId: missing; expected userId or anonymousId");
    const props = track.properties ?? {};
    return finish(
      {
        id: track.messageId,
        event: track.event,
        userId,
        properties: props,
        accountId: stringOf(props.account_id) ?? track.context?.groupId,
        email: stringOf(props.email) ?? stringOf(track.context?.traits?.email),
        source: "segment",
      },
      track.timestamp,
      now,
    );
  }
  const parsed = ShiploopEvent.safeParse(item);
  if (!parsed.success) return zodBad(parsed.error);
  const e = parsed.data;
  const props = e.properties ?? {};
  return finish(
    {
      id: e.id ?? e.uuid,
      event: e.event,
      userId: String(e.distinct_id),
      properties: props,
      email: stringOf(props.email),
      source: "shiploop",
    },
    e.timestamp,
    now,
  );
}

type Draft = Omit<IntakeEvent, "id" | "timestamp" | "accountId"> & {
  id: string | undefined;
  accountId?: string | undefined;
};

function finish(draft: Draft, time: string | number, now: number): OneResult {
  const ms = typeof time === "number" ? (time < 1e11 ? time * 1000 : time) : Date.parse(time);
  if (!Number.isFinite(ms) || ms <= 0) {
    return bad(
      "bad-timestamp",
      `timestamp: ${JSON.stringify(time)} is not a time; expected ISO 8601 or epoch ms`,
    );
  }
  if (ms > now + MAX_FUTURE_MS) {
    return bad(
      "future-timestamp",
      `timestamp: ${new Date(ms).toISOString()} is more than an hour in the future`,
    );
  }
  const accountId = draft.accountId ?? stringOf(draft.properties.account_id);
  const event: IntakeEvent = {
    // Without an id, the same event delivered twice still hashes to the same id.
    id: draft.id ?? contentId(draft, ms),
    event: draft.event,
    userId: draft.userId,
    timestamp: Math.round(ms),
    properties: draft.properties,
    source: draft.source,
    ...(accountId ? { accountId } : {}),
    ...(draft.email ? { email: draft.email } : {}),
  };
  return { ok: true, event };
}

function contentId(draft: Draft, ms: number): string {
  const digest = createHash("sha256")
    .update(JSON.stringify([draft.event, draft.userId, ms, draft.properties]))
    .digest("hex");
  return `h-${digest.slice(0, 32)}`;
}

function zodBad(error: z.ZodError): OneResult {
  const issue = error.issues[0];
  const path = issue?.path.map(String).join(".") ?? "";
  const message =
    issue?.code === "invalid_type" && issue.input === undefined
      ? `missing; ${issue.message.replace(/^Invalid input: /, "")}`
      : (issue?.message ?? "is invalid");
  return bad("invalid", path ? `${path}: ${message}` : message);
}

function bad(code: string, reason: string): { ok: false; code: string; reason: string } {
  return { ok: false, code, reason };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function stringOf(value: unknown): string | undefined {
  if (typeof value === "string" && value.length > 0) return value;
  if (typeof value === "number") return String(value);
  return undefined;
}
