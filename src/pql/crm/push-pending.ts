import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { killPoint } from "../../queue/kill-point.js";
import type { PqlKeys } from "../pql-keys.js";
import {
  describeQualification,
  markerOf,
  type PushedLead,
  type PushFailure,
  parseQualification,
  type Qualification,
  usersOf,
} from "../qualification.js";
import {
  type ContactInput,
  CrmRateLimited,
  CrmRequestRefused,
  type PqlCrm,
  type Refusal,
} from "./pql-crm.js";

/** HubSpot's batch limits. */
const MAX_CONTACTS = 100;
const MAX_NOTES = 100;

export interface PushDeps {
  redis: Redis;
  keys: PqlKeys;
  /** The live CRM, or undefined in sandbox mode (leads only go to the ledger). */
  crm: PqlCrm | undefined;
  /** Rule id → title, for the note and `pql_reason`. */
  titles: ReadonlyMap<string, string>;
  logger: Logger;
  /**
   * Qualifications per flush (default 100, HubSpot's batch limit for notes; contacts are capped
   * at 100 as well, so a flush is one upsert and one note batch whatever its size).
   */
  batchSize?: number;
  /** Test hook: runs between the contact upsert and the note, like a crash would interrupt. */
  afterUpsert?: (ids: readonly string[]) => Promise<void>;
  now?: () => number;
}

export interface PushSummary {
  pushed: number;
  failed: number;
  remaining: number;
}

/**
 * Pushes the oldest pending qualifications to the CRM in one pass: upsert the contacts (one
 * batch call), then one note per qualification (one batch call). Every step is safe to repeat:
 * the upsert is by email, and a note is created only if none is recorded for the qualification —
 * its intent is recorded before the call and its id after, and a retry that finds an intent
 * without an id looks the note up by the marker in its body before creating one.
 * A refusal of one input (a 4xx, a 207 error) ends that qualification as a recorded failure.
 */
export async function pushPending(deps: PushDeps): Promise<PushSummary> {
  const { redis, keys } = deps;
  const now = deps.now ?? Date.now;
  const ids = await redis.zrange(keys.pending, 0, (deps.batchSize ?? MAX_NOTES) - 1);
  if (ids.length === 0) return { pushed: 0, failed: 0, remaining: 0 };
  const raw = await redis.hmget(keys.qualifications, ...ids);
  const quals: Qualification[] = [];
  const failures: PushFailure[] = [];
  const contacts = new Set<string>();
  ids.forEach((id, i) => {
    const json = raw[i];
    const q = json ? parseQualification(json) : undefined;
    // HubSpot takes ≤ 100 contacts per upsert: stop the batch before an account rule's
    // contributors would push it over (the rest waits for the next flush). A user already in
    // the batch (another rule, a fellow contributor) is the same input and costs nothing.
    const added = q ? usersOf(q).filter((u) => !contacts.has(u)) : [];
    if (q && quals.length > 0 && contacts.size + added.length > MAX_CONTACTS) return;
    if (q) {
      quals.push(q);
      for (const u of added) contacts.add(u);
    } else
      failures.push({
        qualificationId: id,
        reason: "qualification record is missing",
        failedAt: now(),
      });
  });

  const pushed: PushedLead[] = [];
  if (!deps.crm) {
    for (const q of quals) {
      pushed.push({
        qualificationId: q.id,
        mode: "sandbox",
        contacts: usersOf(q).map((userId) => ({ userId })),
        pushedAt: now(),
      });
    }
  } else {
    await pushLive(deps, deps.crm, quals, pushed, failures, now);
  }
  await record(redis, keys, pushed, failures);
  for (const f of failures) {
    deps.logger.error(
      { qualification: f.qualificationId, status: f.status },
      `PQL lead not pushed: ${f.reason}`,
    );
  }
  return {
    pushed: pushed.length,
    failed: failures.length,
    remaining: await redis.zcard(keys.pending),
  };
}

async function pushLive(
  deps: PushDeps,
  crm: PqlCrm,
  quals: Qualification[],
  pushed: PushedLead[],
  failures: PushFailure[],
  now: () => number,
): Promise<void> {
  const { redis, keys } = deps;
  if (!(await redis.get(keys.propertiesReady))) {
    await crm.ensureProperties();
    await redis.set(keys.propertiesReady, String(now()));
  }
  // Each qualification's contacts: its users with a known email.
  const users = [...new Set(quals.flatMap(usersOf))];
  const emails = new Map<string, string>();
  const found = users.length > 0 ? await redis.hmget(keys.emails, ...users) : [];
  users.forEach((u, i) => {
    const email = found[i];
    if (email) emails.set(u, email.toLowerCase());
  });
  const ready: Qualification[] = [];
  for (const q of quals) {
    if (usersOf(q).some((u) => emails.has(u))) ready.push(q);
    else
      failures.push({
        qualificationId: q.id,
        reason: `no email known for ${usersOf(q).join(", ")}; send properties.email (or the PostHog person's / Segment traits' email) with an event`,
        failedAt: now(),
      });
  }
  if (ready.length === 0) return;

  const contactIds = await upsertContacts(deps, crm, ready, emails, failures, now);
  const upserted = ready.filter((q) => usersOf(q).some((u) => contactIds.has(emails.get(u) ?? "")));
  await deps.afterUpsert?.(upserted.map((q) => q.id));
  killPoint("pql-after-upsert");

  const noteIds = await ensureNotes(deps, crm, upserted, emails, contactIds, failures, now);
  for (const q of upserted) {
    const noteId = noteIds.get(q.id);
    if (!noteId) continue;
    pushed.push({
      qualificationId: q.id,
      mode: "live",
      contacts: usersOf(q).map((userId) => {
        const email = emails.get(userId);
        const contactId = email ? contactIds.get(email) : undefined;
        return { userId, ...(email ? { email } : {}), ...(contactId ? { contactId } : {}) };
      }),
      noteId,
      pushedAt: now(),
    });
  }
}

async function upsertContacts(
  deps: PushDeps,
  crm: PqlCrm,
  quals: Qualification[],
  emails: Map<string, string>,
  failures: PushFailure[],
  now: () => number,
): Promise<Map<string, string>> {
  // One input per email: the strongest qualification in this batch sets the properties.
  const best = new Map<string, Qualification>();
  for (const q of quals) {
    for (const u of usersOf(q)) {
      const email = emails.get(u);
      const current = email ? best.get(email) : undefined;
      if (email && (!current || q.score > current.score)) best.set(email, q);
    }
  }
  const inputs: ContactInput[] = [...best].map(([email, q]) => ({
    email,
    properties: {
      email,
      pql_score: String(q.score),
      pql_reason: `${deps.titles.get(q.rule) ?? q.rule} (${q.events.map((e) => e.event).join(", ")})`,
      pql_qualified_at: new Date(q.qualifiedAt).toISOString(),
    },
  }));
  const ids = new Map<string, string>();
  const refused = new Map<string, Refusal>();
  const run = async (batch: ContactInput[]) => {
    try {
      const outcome = await crm.upsertContacts(batch);
      for (const [k, v] of outcome.ok) ids.set(k, v);
      for (const [k, v] of outcome.refused) refused.set(k, v);
    } catch (error) {
      if (!(error instanceof CrmRequestRefused)) throw error;
      // One bad input fails the whole batch: find it by halving (≈ 2·log2(n) calls, not n).
      if (batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        await run(batch.slice(0, half));
        await run(batch.slice(half));
      } else {
        for (const input of batch)
          refused.set(input.email, { status: error.status, reason: error.reason });
      }
    }
  };
  for (let i = 0; i < inputs.length; i += MAX_CONTACTS)
    await run(inputs.slice(i, i + MAX_CONTACTS));
  for (const q of quals) {
    const mine = usersOf(q).flatMap((u) => {
      const email = emails.get(u);
      return email ? [email] : [];
    });
    if (mine.some((e) => ids.has(e))) continue;
    const why = mine.map((e) => refused.get(e)).find(Boolean);
    failures.push({
      qualificationId: q.id,
      reason: `HubSpot refused the contact upsert: ${why?.reason ?? "no contact returned"}`,
      ...(why ? { status: why.status } : {}),
      failedAt: now(),
    });
  }
  return ids;
}

async function ensureNotes(
  deps: PushDeps,
  crm: PqlCrm,
  quals: Qualification[],
  emails: Map<string, string>,
  contactIds: Map<string, string>,
  failures: PushFailure[],
  now: () => number,
): Promise<Map<string, string>> {
  const { redis, keys } = deps;
  const noteIds = new Map<string, string>();
  if (quals.length === 0) return noteIds;
  const ids = quals.map((q) => q.id);
  const [recorded, intents] = await Promise.all([
    redis.hmget(keys.notes, ...ids),
    redis.hmget(keys.noteIntents, ...ids),
  ]);
  const toCreate: Qualification[] = [];
  for (const [i, q] of quals.entries()) {
    const noteId = recorded[i];
    if (noteId) {
      noteIds.set(q.id, noteId);
      continue;
    }
    if (intents[i]) {
      // A previous attempt may have created the note and died before recording its id.
      const existing = await crm.findNote(markerOf(q.id));
      if (existing) {
        await redis.hset(keys.notes, q.id, existing);
        noteIds.set(q.id, existing);
        continue;
      }
    }
    toCreate.push(q);
  }
  if (toCreate.length === 0) return noteIds;
  await redis.hset(
    keys.noteIntents,
    Object.fromEntries(toCreate.map((q) => [q.id, String(now())])),
  );
  const byMarker = new Map(toCreate.map((q) => [markerOf(q.id), q]));
  let outcome: Awaited<ReturnType<PqlCrm["createNotes"]>>;
  try {
    outcome = await crm.createNotes(
      toCreate.map((q) => ({
        marker: markerOf(q.id),
        body: describeQualification(q, deps.titles.get(q.rule) ?? q.rule),
        timestamp: q.qualifiedAt,
        contactIds: usersOf(q).flatMap((u) => {
          const id = contactIds.get(emails.get(u) ?? "");
          return id ? [id] : [];
        }),
      })),
    );
  } catch (error) {
    // A 429 or a refused request created nothing: drop the intents, or the retry would search
    // HubSpot once per note (and spend the rate limit it was waiting for). After a 5xx or a
    // network fault the notes may exist, so the intents stay and the retry looks them up.
    if (error instanceof CrmRateLimited || error instanceof CrmRequestRefused) {
      await redis.hdel(keys.noteIntents, ...toCreate.map((q) => q.id));
    }
    if (!(error instanceof CrmRequestRefused)) throw error;
    outcome = { ok: new Map(), refused: new Map([...byMarker.keys()].map((m) => [m, error])) };
  }
  if (outcome.ok.size > 0) {
    const written = [...outcome.ok].flatMap(([marker, id]) => {
      const q = byMarker.get(marker);
      return q ? [[q.id, id] as const] : [];
    });
    await redis.hset(keys.notes, Object.fromEntries(written));
    for (const [qid, id] of written) noteIds.set(qid, id);
  }
  for (const [marker, why] of outcome.refused) {
    const q = byMarker.get(marker);
    if (q)
      failures.push({
        qualificationId: q.id,
        reason: `HubSpot refused the note: ${why.reason}`,
        status: why.status,
        failedAt: now(),
      });
  }
  return noteIds;
}

async function record(
  redis: Redis,
  keys: PqlKeys,
  pushed: PushedLead[],
  failures: PushFailure[],
): Promise<void> {
  if (pushed.length === 0 && failures.length === 0) return;
  const tx = redis.multi();
  for (const lead of pushed) {
    tx.hset(keys.pushed, lead.qualificationId, JSON.stringify(lead));
    tx.zadd(keys.leads, "NX", lead.pushedAt, lead.qualificationId);
    tx.zrem(keys.pending, lead.qualificationId);
  }
  for (const failure of failures) {
    tx.hset(keys.failures, failure.qualificationId, JSON.stringify(failure));
    tx.zrem(keys.pending, failure.qualificationId);
  }
  await tx.exec();
}
