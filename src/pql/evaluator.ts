import { hostname } from "node:os";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { CompiledRules } from "./compile-rules.js";
import { EVALUATE_SCRIPT } from "./lua/evaluate-script.js";
import type { IntakeEvent } from "./normalize-event.js";
import type { PqlKeys } from "./pql-keys.js";

type EvalRedis = Redis & {
  pqlEvaluate(...args: (string | number)[]): Promise<string[]>;
};

export interface EvaluatorOptions {
  redis: Redis;
  keys: PqlKeys;
  rules: CompiledRules;
  logger: Logger;
  /** The event name that marks a conversion (config.events.subscriptionStarted). */
  conversionEvent: string;
  /** Called after a batch that produced qualifications (asks the CRM queue to flush). */
  onQualified: (ids: string[]) => Promise<void>;
  /** How long a subject's occurrences outlive its window while it is quiet. */
  idleTtlMs?: number;
  batchSize?: number;
  blockMs?: number;
  /** Entries another consumer holds longer than this are taken over (a crashed evaluator). */
  claimIdleMs?: number;
}

/**
 * Reads the intake stream as one consumer of the `evaluators` group: evaluates each event's
 * rules in Redis, asks the CRM queue to flush when something qualified, then acknowledges and
 * deletes the entries. An entry is acknowledged only after its evaluation is written, so a
 * crash re-delivers it (to this consumer on restart, or to another by XAUTOCLAIM); evaluation
 * is idempotent, so a re-delivered event changes nothing twice.
 */
export class Evaluator {
  private readonly reader: Redis;
  private readonly consumer =
    `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  private closed = false;
  private loop: Promise<void> | undefined;
  private lastClaim = 0;

  constructor(private readonly options: EvaluatorOptions) {
    this.reader = options.redis.duplicate();
    this.reader.on("error", () => {
      // The main connection logs outages; this one only waits for Redis to return.
    });
    if (typeof (options.redis as EvalRedis).pqlEvaluate !== "function") {
      options.redis.defineCommand("pqlEvaluate", { numberOfKeys: 1, lua: EVALUATE_SCRIPT });
    }
  }

  async start(): Promise<void> {
    const { keys } = this.options;
    try {
      await this.options.redis.xgroup("CREATE", keys.stream, keys.group, "0", "MKSTREAM");
    } catch (error) {
      if (!String(error).includes("BUSYGROUP")) throw error;
    }
    this.loop = this.run();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.loop;
    this.reader.disconnect();
  }

  private async run(): Promise<void> {
    // First what this consumer name was given before (none for a fresh name), then new entries.
    let cursor = "0";
    while (!this.closed) {
      try {
        if (Date.now() - this.lastClaim > (this.options.claimIdleMs ?? 60_000) / 2) {
          await this.claimAbandoned();
        }
        const entries = await this.read(cursor);
        if (cursor === "0" && entries.length === 0) cursor = ">";
        if (entries.length > 0) await this.process(entries);
      } catch (error) {
        if (this.closed) break;
        this.options.logger.error({ err: error }, "PQL evaluator: batch failed; retrying in 1 s");
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        cursor = "0";
      }
    }
  }

  private async read(cursor: string): Promise<[string, string[]][]> {
    const { keys } = this.options;
    const reply = (await this.reader.xreadgroup(
      "GROUP",
      keys.group,
      this.consumer,
      "COUNT",
      this.options.batchSize ?? 200,
      "BLOCK",
      this.options.blockMs ?? 500,
      "STREAMS",
      keys.stream,
      cursor,
    )) as [string, [string, string[]][]][] | null;
    return reply?.[0]?.[1] ?? [];
  }

  private async claimAbandoned(): Promise<void> {
    this.lastClaim = Date.now();
    const { keys, redis } = this.options;
    const [, entries] = (await redis.xautoclaim(
      keys.stream,
      keys.group,
      this.consumer,
      this.options.claimIdleMs ?? 60_000,
      "0-0",
      "COUNT",
      500,
    )) as [string, [string, string[]][]];
    if (entries.length > 0) {
      this.options.logger.warn(
        { entries: entries.length },
        "PQL evaluator: took over abandoned events",
      );
      await this.process(entries);
    }
  }

  private async process(entries: [string, string[]][]): Promise<void> {
    const { redis, keys, rules, conversionEvent } = this.options;
    const pipeline = redis.pipeline();
    const evaluations: number[] = [];
    let queued = 0;
    for (const [, fields] of entries) {
      const event = fieldOf(fields, "e");
      if (!event) continue;
      const e = JSON.parse(event) as IntakeEvent;
      const receivedAt = Number(fieldOf(fields, "r") ?? Date.now());
      // A user's account is properties.account_id when present, else the user (DESIGN.md), so
      // account rules and account conversions see a user without a company as a one-user account.
      const account = e.accountId ?? e.userId;
      if (e.email) {
        pipeline.hset(keys.emails, e.userId, e.email);
        queued += 1;
      }
      if (e.event === conversionEvent) {
        pipeline.zadd(keys.convertedUsers, "NX", e.timestamp, e.userId);
        queued += 1;
        pipeline.zadd(keys.convertedAccounts, "NX", e.timestamp, account);
        queued += 1;
      }
      const plan = rules.byEvent.get(e.event);
      if (plan) {
        const kept: Record<string, unknown> = {};
        for (const key of plan.keep) if (key in e.properties) kept[key] = e.properties[key];
        const member = JSON.stringify({ i: e.id, u: e.userId, p: kept });
        (pipeline as unknown as EvalRedis).pqlEvaluate(
          keys.qualifications,
          keys.base,
          e.id,
          e.event,
          e.userId,
          account,
          e.timestamp,
          member,
          plan.userWindow,
          plan.accountWindow,
          receivedAt,
          this.options.idleTtlMs ?? 86_400_000,
          ...plan.fires,
        );
        evaluations.push(queued);
        queued += 1;
      }
    }
    const results = (await pipeline.exec()) ?? [];
    const qualified: string[] = [];
    for (const at of evaluations) {
      const [error, ids] = results[at] ?? [];
      if (error) throw error;
      qualified.push(...(ids as string[]));
    }
    if (qualified.length > 0) {
      for (const id of qualified) this.options.logger.info({ qualification: id }, "PQL qualified");
      await this.options.onQualified(qualified);
    }
    const ids = entries.map(([id]) => id);
    await redis
      .pipeline()
      .xack(keys.stream, keys.group, ...ids)
      .xdel(keys.stream, ...ids)
      .exec();
  }
}

function fieldOf(fields: string[], name: string): string | undefined {
  for (let i = 0; i < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}
