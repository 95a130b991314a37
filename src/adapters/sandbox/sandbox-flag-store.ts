import type { Redis } from "ioredis";
import type { ExperimentSpec, FlagStore, GateSplit } from "../../domain/ports.js";
import { hashTaggedPrefix } from "../../ledger/ledger-keys.js";

export interface SandboxExperiment {
  name: string;
  status: "active" | "decision_made" | "abandoned";
  groups: ExperimentSpec["groups"];
  shippedGroup?: string;
  reason?: string;
}

/**
 * A pretend flag service for sandbox mode: gates and experiments in Redis. Every write that
 * changes something is appended to a log, so tests can assert "exactly these changes".
 */
export class SandboxFlagStore implements FlagStore {
  readonly mode = "sandbox";
  private readonly gatesKey: string;
  private readonly experimentsKey: string;
  private readonly logKey: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    const base = hashTaggedPrefix(prefix);
    this.gatesKey = `${base}:sandbox:gates`;
    this.experimentsKey = `${base}:sandbox:experiments`;
    this.logKey = `${base}:sandbox:flag-writes`;
  }

  async ensureGateSplit(split: GateSplit): Promise<GateSplit> {
    const current = await this.redis.hget(this.gatesKey, split.gate);
    if (current !== String(split.percent)) {
      await this.redis
        .multi()
        .hset(this.gatesKey, split.gate, String(split.percent))
        .rpush(this.logKey, `gate ${split.gate} ${split.percent}`)
        .exec();
    }
    return split;
  }

  async ensureExperimentStarted(spec: ExperimentSpec): Promise<{ id: string }> {
    const started: SandboxExperiment = { name: spec.name, status: "active", groups: spec.groups };
    const created = await this.redis.hsetnx(
      this.experimentsKey,
      spec.name,
      JSON.stringify(started),
    );
    if (created) await this.redis.rpush(this.logKey, `experiment ${spec.name} start`);
    return { id: spec.name };
  }

  async ensureExperimentDecision(
    name: string,
    decision: { ship: string } | { abandon: true },
    reason: string,
  ): Promise<void> {
    const json = await this.redis.hget(this.experimentsKey, name);
    if (!json) throw new Error(`sandbox experiment ${name} does not exist`);
    const experiment = JSON.parse(json) as SandboxExperiment;
    if (experiment.status !== "active") return;
    const decided: SandboxExperiment =
      "ship" in decision
        ? { ...experiment, status: "decision_made", shippedGroup: decision.ship, reason }
        : { ...experiment, status: "abandoned", reason };
    await this.redis
      .multi()
      .hset(this.experimentsKey, name, JSON.stringify(decided))
      .rpush(this.logKey, `experiment ${name} ${decided.status}`)
      .exec();
  }

  async gates(): Promise<Record<string, number>> {
    const all = await this.redis.hgetall(this.gatesKey);
    return Object.fromEntries(Object.entries(all).map(([gate, pct]) => [gate, Number(pct)]));
  }

  async writes(): Promise<string[]> {
    return this.redis.lrange(this.logKey, 0, -1);
  }
}
