import { TransientError } from "../../domain/errors.js";

export interface ContactInput {
  email: string;
  properties: Record<string, string>;
}

export interface NoteInput {
  /** A token in the body naming the qualification, so a retry can find the note. */
  marker: string;
  body: string;
  timestamp: number;
  contactIds: string[];
}

export interface Refusal {
  status: number;
  reason: string;
}

export interface BatchOutcome<K extends string = string> {
  ok: Map<K, string>;
  refused: Map<K, Refusal>;
}

/**
 * The CRM as PQL routing needs it, with "ensure" verbs: each call is safe to repeat.
 * Throws `CrmRateLimited` on 429, `TransientError` on 5xx and network faults, `UserError`
 * for a rejected credential; refusals of single inputs come back in `refused`.
 */
export interface PqlCrm {
  /** Creates `pql_score`, `pql_reason`, `pql_qualified_at` on contacts unless they exist. */
  ensureProperties(): Promise<void>;
  /** Upserts contacts by email; returns contact ids by email. */
  upsertContacts(inputs: readonly ContactInput[]): Promise<BatchOutcome>;
  /** Creates notes associated with their contacts; returns note ids by marker. */
  createNotes(inputs: readonly NoteInput[]): Promise<BatchOutcome>;
  /** The id of a note whose body carries `marker`, if one exists. */
  findNote(marker: string): Promise<string | undefined>;
}

/** HubSpot answered 429: wait `retryAfterMs` before the next call. */
export class CrmRateLimited extends TransientError {
  constructor(
    readonly retryAfterMs: number,
    readonly policyName: string | undefined,
  ) {
    super(
      "crm-rate-limited",
      `HubSpot rate limit (${policyName ?? "unknown policy"}); waiting ${retryAfterMs} ms`,
    );
  }
}

/** The whole request was refused (400/404/422…): the inputs in it, not the call, are at fault. */
export class CrmRequestRefused extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(`HubSpot refused the request (${status}): ${reason}`);
  }
}
