import type { Redis } from "ioredis";
import type { RoutedLeads } from "../diagnose/with-routed-pql.js";
import type { PqlKeys } from "./pql-keys.js";
import {
  type PushedLead,
  type PushFailure,
  parseQualification,
  type Qualification,
} from "./qualification.js";
import type { PqlRule } from "./rule-schema.js";

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

/** What a rule needs to know of its rule file to be reported: its title and its level. */
export type ReportedRule = Pick<PqlRule, "id" | "title" | "level">;

/**
 * Each rule's volume and conversion: a rule that qualifies people who never buy shows up as a
 * weak rule. Conversion counts subscription_started events the intake has seen after the
 * qualification (for an account rule: any user of the account).
 */
export async function pqlReport(
  redis: Redis,
  keys: PqlKeys,
  rules: readonly ReportedRule[],
): Promise<RuleReport[]> {
  const reports: RuleReport[] = [];
  for (const { id, rule, subjects } of await ruleOutcomes(redis, keys, rules)) {
    const days = subjects
      .flatMap((s) => (s.paidAt === undefined ? [] : [(s.paidAt - s.qualifiedAt) / 86_400_000]))
      .sort((a, b) => a - b);
    reports.push({
      rule: id,
      ...(rule ? { title: rule.title, level: rule.level } : {}),
      qualified: subjects.length,
      converted: days.length,
      conversion: subjects.length > 0 ? days.length / subjects.length : null,
      medianDaysToConvert:
        days.length > 0 ? (days[Math.floor((days.length - 1) / 2)] ?? null) : null,
    });
  }
  return reports;
}

/**
 * The leads PQL routing routed, for the diagnosis's PQL-conversion metric: every subject once,
 * however many rules it met, converted when it paid after any of its qualifications. A user and
 * an account with the same id are one subject: an account is its user's distinct_id when the
 * events carry no account_id.
 */
export async function countRoutedLeads(
  redis: Redis,
  keys: PqlKeys,
  rules: readonly ReportedRule[],
): Promise<RoutedLeads> {
  const converted = new Map<string, boolean>();
  for (const { subjects } of await ruleOutcomes(redis, keys, rules)) {
    for (const s of subjects)
      converted.set(s.subject, (converted.get(s.subject) ?? false) || s.paidAt !== undefined);
  }
  return {
    qualified: converted.size,
    converted: [...converted.values()].filter(Boolean).length,
  };
}

interface SubjectOutcome {
  subject: string;
  /** Its first qualification under the rule. */
  qualifiedAt: number;
  /** Its first subscription, when that came at or after the qualification. */
  paidAt?: number;
}

/**
 * Every rule with qualifications or a rule file, sorted by id, with its subjects and whether
 * each paid after qualifying. A rule whose file is gone is read as a user rule.
 */
async function ruleOutcomes(
  redis: Redis,
  keys: PqlKeys,
  rules: readonly ReportedRule[],
): Promise<{ id: string; rule?: ReportedRule; subjects: SubjectOutcome[] }[]> {
  const stats = await redis.hgetall(keys.stats);
  const ids = new Set([
    ...rules.map((r) => r.id),
    ...Object.keys(stats)
      .filter((k) => k.startsWith("qualified:"))
      .map((k) => k.slice("qualified:".length)),
  ]);
  const out: { id: string; rule?: ReportedRule; subjects: SubjectOutcome[] }[] = [];
  for (const id of [...ids].sort()) {
    const rule = rules.find((r) => r.id === id);
    const qualified = await zsetEntries(redis, keys.qualified(id));
    const paid = await zscores(
      redis,
      rule?.level === "account" ? keys.convertedAccounts : keys.convertedUsers,
      qualified.map(([subject]) => subject),
    );
    const subjects = qualified.map(([subject, qualifiedAt], i): SubjectOutcome => {
      const paidAt = paid[i];
      return paidAt !== undefined && paidAt >= qualifiedAt
        ? { subject, qualifiedAt, paidAt }
        : { subject, qualifiedAt };
    });
    out.push({ id, ...(rule ? { rule } : {}), subjects });
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
