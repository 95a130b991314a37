import type { Redis } from "ioredis";
import { pino } from "pino";
import { buildConfig } from "../../src/config/config.js";
import { acceptEvents } from "../../src/pql/accept-events.js";
import type { PqlCrm } from "../../src/pql/crm/pql-crm.js";
import type { IntakeEvent } from "../../src/pql/normalize-event.js";
import { type PqlKeys, pqlKeys } from "../../src/pql/pql-keys.js";
import { parseQualification, type Qualification } from "../../src/pql/qualification.js";
import { type PqlRule, type PqlRuleInput, PqlRuleSchema } from "../../src/pql/rule-schema.js";
import {
  type PqlRouting,
  type PqlRoutingOptions,
  startPqlRouting,
} from "../../src/pql/start-pql-routing.js";
import { removePrefix, testRedis, uniquePrefix, waitFor } from "../support/redis.js";

export const HOUR = 3_600_000;
export const MINUTE = 60_000;
export const T0 = Date.parse("2026-03-02T09:00:00Z");

export function rule(input: Partial<PqlRuleInput> & Pick<PqlRuleInput, "id">): PqlRule {
  return PqlRuleSchema.parse({ title: `rule ${input.id}`, within: "48h", score: 50, ...input });
}

export const SEED_RULE = rule({
  id: "team-adoption",
  all: [
    { event: "invited_teammate", atLeast: 2, distinctBy: "properties.invitee" },
    { event: "saved_workflow" },
    { event: "viewed_pricing" },
  ],
});

let counter = 0;
export function ev(
  event: string,
  userId: string,
  at: number,
  properties: Record<string, unknown> = {},
  extra: Partial<IntakeEvent> = {},
): IntakeEvent {
  counter += 1;
  const email = typeof properties.email === "string" ? { email: properties.email } : {};
  return {
    id: `e${counter}-${Math.random().toString(36).slice(2, 8)}`,
    event,
    userId,
    timestamp: at,
    properties,
    source: "shiploop",
    ...email,
    ...extra,
  };
}

export interface Harness {
  redis: Redis;
  prefix: string;
  keys: PqlKeys;
  routing: PqlRouting;
  send(...events: IntakeEvent[]): Promise<{ accepted: number; duplicates: number }>;
  /** Waits until the intake stream is drained (every event evaluated and acknowledged). */
  settle(): Promise<void>;
  qualifications(): Promise<Qualification[]>;
  close(): Promise<void>;
}

export async function startHarness(
  rules: PqlRule[],
  options: PqlRoutingOptions & { crm?: PqlCrm | null } = {},
  env: Record<string, string> = {},
): Promise<Harness> {
  const redis = testRedis();
  const prefix = uniquePrefix("pql");
  const config = buildConfig({ SHIPLOOP_PREFIX: prefix, ...env });
  const keys = pqlKeys(prefix);
  const routing = await startPqlRouting(config, redis, pino({ level: "silent" }), {
    rules,
    crm: null,
    sweepMs: 200,
    ...options,
  });
  const settle = () =>
    waitFor(
      "the intake to drain",
      async () => {
        const length = await redis.xlen(keys.stream);
        return length === 0 ? true : undefined;
      },
      10_000,
      20,
    ).then(() => undefined);
  return {
    redis,
    prefix,
    keys,
    routing,
    send: (...events) => acceptEvents(redis, keys, events, Date.now(), 86_400_000),
    settle,
    async qualifications() {
      const all = await redis.hvals(keys.qualifications);
      return all.map(parseQualification).sort((a, b) => a.qualifiedAt - b.qualifiedAt);
    },
    async close() {
      await routing.close();
      await removePrefix(redis, prefix);
      redis.disconnect();
    },
  };
}
