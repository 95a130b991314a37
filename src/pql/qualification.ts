import { createHash } from "node:crypto";
import { z } from "zod";

/** One occurrence that counted towards a qualification. */
export const MatchedEventSchema = z.object({
  event: z.string(),
  id: z.string(),
  user: z.string(),
  at: z.number(),
});

/**
 * A subject (user or account) meeting a rule at `qualifiedAt` (the event time that completed
 * the window), as the evaluation script records it. Its id is `rule|u|subject|qualifiedAt`.
 */
export const QualificationSchema = z.object({
  id: z.string(),
  rule: z.string(),
  level: z.enum(["user", "account"]),
  subject: z.string(),
  userId: z.string(),
  accountId: z.string(),
  score: z.number(),
  qualifiedAt: z.number(),
  receivedAt: z.number(),
  trigger: z.string(),
  // Lua's cjson writes an empty list as {}.
  events: z.preprocess((v) => (Array.isArray(v) ? v : []), z.array(MatchedEventSchema)),
});

export type MatchedEvent = z.output<typeof MatchedEventSchema>;
export type Qualification = z.output<typeof QualificationSchema>;

/** A qualification that reached the CRM (or, in sandbox, the leads list). */
export interface PushedLead {
  qualificationId: string;
  mode: "live" | "sandbox";
  contacts: { userId: string; email?: string; contactId?: string }[];
  noteId?: string;
  pushedAt: number;
}

/** A qualification the CRM refused for a reason retrying will not fix. */
export interface PushFailure {
  qualificationId: string;
  reason: string;
  status?: number;
  failedAt: number;
}

export function parseQualification(json: string): Qualification {
  return QualificationSchema.parse(JSON.parse(json));
}

/** The users behind a qualification: the subject for a user rule, the contributors for an account. */
export function usersOf(q: Qualification): string[] {
  if (q.level === "user") return [q.userId];
  return [...new Set(q.events.map((e) => e.user))];
}

/** What the CRM note says: the rule, and exactly which events qualified whom and when. */
export function describeQualification(q: Qualification, title: string): string {
  const lines = q.events.map(
    (e) =>
      `- ${e.event} at ${new Date(e.at).toISOString()}${q.level === "account" ? ` by ${e.user}` : ""} (event ${e.id})`,
  );
  const who = q.level === "account" ? `Account ${q.subject}` : `User ${q.subject}`;
  return [
    `${who} qualified as a product-qualified lead: ${title} (rule ${q.rule}, score ${q.score}).`,
    `Qualified at ${new Date(q.qualifiedAt).toISOString()} by these events:`,
    ...lines,
    `shiploop-qualification: ${markerOf(q.id)}`,
  ].join("\n");
}

/**
 * A token naming the qualification inside the note, so a retry can find a note it created.
 * Letters and digits only: HubSpot's CONTAINS_TOKEN search matches whole tokens, and
 * punctuation inside a marker could split it into several.
 */
export function markerOf(qualificationId: string): string {
  return `shiploopPql${createHash("sha256").update(qualificationId).digest("hex").slice(0, 40)}`;
}
