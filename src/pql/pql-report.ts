import type { Redis } from "ioredis";
import type { PqlKeys } from "./pql-keys.js";
import {
  type PushedLead,
  type PushFailure,
  parseQualification,
  type Qualification,
} from "./qualification.js";

export interface RuleReport {
  rule: string;
  title?: string;
  level?: "user" | "account";
  /** Subjects qualified (first qualification per subject). */
  qualified: number;
  /** Of those, subjects with a subscription_started at or after their qualification. */
  converted: number;
  conversion: number | null;
  /** Median days from qualification to subscription, among converted subjects. */
  medianDaysToConvert: number | null;
}

/**
 * Each rule's volume and conversion: a rule that qualifies people who never buy shows up as a
 * weak rule. Conversion counts subscription_started events the intake has seen after the
 * qualification (for an account rule: any user of the account).
 */
export async function pqlReport(
  redis: Redis,
  keys: PqlKeys,
  rules: readonly { id: string; title: string; level: "user" | "account" }[],
): Promise<RuleReport[]> {
  const stats = await redis.hgetall(keys.stats);
  const ids = new Set([
    ...rules.map((r) => r.id),
    ...Object.keys(stats)
      .filter((k) => k.startsWith("qualified:"))
      .map((k) => k.slice("qualified:".length)),
  ]);
  const reports: RuleReport[] = [];
  for (const id of [...ids].sort()) {
    const rule = rules.find((r) => r.id === id);
    const qualified = await zsetEntries(redis, keys.qualified(id));
    const level = rule?.level ?? "user";
    const conversions = await zscores(
      redis,
      level === "account" ? keys.convertedAccounts : keys.convertedUsers,
      qualified.map(([subject]) => subject),
    );
    const days: number[] = [];
    qualified.forEach(([, at], i) => {
      const paidAt = conversions[i];
      if (paidAt !== undefined && paidAt >= at) days.push((paidAt - at) / 86_400_000);
    });
    days.sort((a, b) => a - b);
    reports.push({
      rule: id,
      ...(rule ? { title: rule.title, level: rule.level } : {}),
      qualified: qualified.length,
      converted: days.length,
      conversion: qualified.length > 0 ? days.length / qualified.length : null,
      medianDaysToConvert:
        days.length > 0 ? (days[Math.floor((days.length - 1) / 2)] ?? null) : null,
    });
  }
  return reports;
}

/**
 * Every qualification by subject, for the diagnosis's PQL-conversion metric: subject (user or
 * account id) → the qualifications, earliest first.
 */
export async function readQualifications(
  redis: Redis,
  keys: PqlKeys,
): Promise<Map<string, Qualification[]>> {
  const out = new Map<string, Qualification[]>();
  for (const json of await redis.hvals(keys.qualifications)) {
    const q = parseQualification(json);
    out.set(
      q.subject,
      [...(out.get(q.subject) ?? []), q].sort((a, b) => a.qualifiedAt - b.qualifiedAt),
    );
  }
  return out;
}

export interface LeadRow {
  qualification: Qualification;
  lead?: PushedLead;
  failure?: PushFailure;
  state: "pushed" | "pending" | "failed";
}

/** The newest leads (pushed, pending and failed), newest qualification first. */
export async function listLeads(redis: Redis, keys: PqlKeys, limit = 50): Promise<LeadRow[]> {
  const [pushedIds, pendingIds, failures] = await Promise.all([
    redis.zrevrange(keys.leads, 0, limit - 1),
    redis.zrange(keys.pending, 0, limit - 1),
    redis.hgetall(keys.failures),
  ]);
  const ids = [...new Set([...pushedIds, ...pendingIds, ...Object.keys(failures)])];
  if (ids.length === 0) return [];
  const [quals, pushed] = await Promise.all([
    redis.hmget(keys.qualifications, ...ids),
    redis.hmget(keys.pushed, ...ids),
  ]);
  const rows: LeadRow[] = [];
  ids.forEach((id, i) => {
    const json = quals[i];
    if (!json) return;
    const lead = pushed[i] ? (JSON.parse(pushed[i] as string) as PushedLead) : undefined;
    const failure = failures[id] ? (JSON.parse(failures[id]) as PushFailure) : undefined;
    rows.push({
      qualification: parseQualification(json),
      ...(lead ? { lead } : {}),
      ...(failure ? { failure } : {}),
      state: lead ? "pushed" : failure ? "failed" : "pending",
    });
  });
  return rows
    .sort((a, b) => b.qualification.qualifiedAt - a.qualification.qualifiedAt)
    .slice(0, limit);
}

async function zsetEntries(redis: Redis, key: string): Promise<[string, number][]> {
  const flat = await redis.zrange(key, 0, -1, "WITHSCORES");
  const out: [string, number][] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i] as string, Number(flat[i + 1])]);
  return out;
}

async function zscores(
  redis: Redis,
  key: string,
  members: string[],
): Promise<(number | undefined)[]> {
  if (members.length === 0) return [];
  const scores = await redis.zmscore(key, ...members);
  return scores.map((s) => (s === null ? undefined : Number(s)));
}
