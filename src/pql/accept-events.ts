import type { Redis } from "ioredis";
import { INTAKE_SCRIPT } from "./lua/intake-script.js";
import type { IntakeEvent } from "./normalize-event.js";
import type { PqlKeys } from "./pql-keys.js";

type IntakeRedis = Redis & {
  pqlIntake(numKeys: number, ...args: (string | number)[]): Promise<[number, number]>;
};

export interface AcceptResult {
  accepted: number;
  duplicates: number;
}

/**
 * Deduplicates by event id and appends the new events to the durable intake stream, in one
 * atomic script. When it resolves, the events survive a restart (with AOF on): answer 2xx.
 */
export async function acceptEvents(
  redis: Redis,
  keys: PqlKeys,
  events: readonly IntakeEvent[],
  receivedAt: number,
  dedupeTtlMs: number,
): Promise<AcceptResult> {
  const r = withIntake(redis);
  const [accepted, duplicates] = await r.pqlIntake(
    2 + events.length,
    keys.stream,
    keys.stats,
    ...events.map((e) => keys.seen(e.id)),
    dedupeTtlMs,
    receivedAt,
    ...events.map((e) => JSON.stringify(e)),
  );
  return { accepted, duplicates };
}

function withIntake(redis: Redis): IntakeRedis {
  const r = redis as IntakeRedis;
  if (typeof r.pqlIntake !== "function") redis.defineCommand("pqlIntake", { lua: INTAKE_SCRIPT });
  return r;
}
