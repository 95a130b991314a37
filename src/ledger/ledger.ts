import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import type { BacklogItem } from "../domain/backlog-item.js";
import { TransientError } from "../domain/errors.js";
import type {
  DailyCheck,
  ExperimentRecord,
  ExperimentStatus,
  WeekRecord,
} from "../domain/experiment.js";
import type { ObservationStore, VerdictObservation } from "../domain/verdict-observation.js";
import { type LedgerKeys, ledgerKeys } from "./ledger-keys.js";
import { CREATE_EXPERIMENT, UPDATE_EXPERIMENT } from "./lua-scripts.js";

type CreateResult =
  | { outcome: "created"; record: ExperimentRecord }
  | { outcome: "exists"; record: ExperimentRecord }
  | { outcome: "surface-busy"; owner: string };

interface LedgerCommands {
  shiploopCreateExperiment(...args: (string | number)[]): Promise<[number, string]>;
  shiploopUpdateExperiment(...args: (string | number)[]): Promise<number>;
}

/**
 * The Redis record of what shiploop did: experiments with their status history, weeks, and
 * the observations that learning folds into priors. Jobs are at-least-once; the ledger is
 * what makes their effects exactly-once.
 */
export class Ledger implements ObservationStore {
  readonly keys: LedgerKeys;
  private readonly redis: Redis & LedgerCommands;

  constructor(redis: Redis, prefix: string) {
    this.keys = ledgerKeys(prefix);
    redis.defineCommand("shiploopCreateExperiment", { numberOfKeys: 6, lua: CREATE_EXPERIMENT });
    redis.defineCommand("shiploopUpdateExperiment", { numberOfKeys: 5, lua: UPDATE_EXPERIMENT });
    this.redis = redis as Redis & LedgerCommands;
  }

  async getExperiment(id: string): Promise<ExperimentRecord | undefined> {
    return (await this.getMany([id]))[0];
  }

  /**
   * Stores the daily check of `day` unless that day already has one; returns whether it was new.
   * It does not touch the record's version, so it never conflicts with a verdict being written.
   */
  async recordCheck(id: string, check: DailyCheck): Promise<boolean> {
    return (
      (await this.redis.hsetnx(this.keys.checks(id), String(check.day), serialize(check))) === 1
    );
  }

  /** Creates the record, claims its surface and stores its week (naming it) in one step. */
  async createExperiment(
    record: ExperimentRecord,
    week: WeekRecord,
    now: Date,
  ): Promise<CreateResult> {
    const [code, owner] = await this.redis.shiploopCreateExperiment(
      this.keys.experiment(record.id),
      this.keys.experiments,
      this.keys.liveSurfaces,
      this.keys.week(week.week),
      this.keys.checks(record.id),
      this.keys.items,
      record.id,
      serializeRecord({ ...record, version: 1 }),
      record.item.surface,
      now.getTime(),
      serialize({ ...week, experimentId: record.id }),
      record.itemId,
      indexEntry(record),
      ...checkArgs(record.checks),
    );
    if (code === -1) return { outcome: "surface-busy", owner };
    if (code === 1) return { outcome: "created", record: { ...record, version: 1 } };
    const existing = await this.getExperiment(record.id);
    if (!existing)
      throw new TransientError(
        "ledger-race",
        `experiment ${record.id} vanished while being created`,
      );
    return { outcome: "exists", record: existing };
  }

  /**
   * Stores `next` if the stored record still has `next.version`. A conflict means another
   * worker moved the experiment meanwhile: the job is retried and starts from the new state.
   */
  async saveExperiment(
    next: ExperimentRecord,
    options: { releaseSurface?: boolean; verdictAt?: Date } = {},
  ): Promise<ExperimentRecord> {
    const version = await this.redis.shiploopUpdateExperiment(
      this.keys.experiment(next.id),
      this.keys.liveSurfaces,
      this.keys.verdicts,
      this.keys.checks(next.id),
      this.keys.items,
      next.id,
      next.version,
      serializeRecord({ ...next, version: next.version + 1 }),
      next.item.surface,
      options.releaseSurface ? "1" : "0",
      options.verdictAt ? options.verdictAt.getTime() : "",
      next.itemId,
      indexEntry(next),
      ...checkArgs(next.checks),
    );
    if (version === 0) {
      throw new TransientError(
        "ledger-conflict",
        `experiment ${next.id} changed while this job ran`,
      );
    }
    return { ...next, version };
  }

  async listExperiments(
    options: { newestFirst?: boolean; limit?: number } = {},
  ): Promise<ExperimentRecord[]> {
    const limit = options.limit ?? 1000;
    const ids = options.newestFirst
      ? await this.redis.zrevrange(this.keys.experiments, 0, limit - 1)
      : await this.redis.zrange(this.keys.experiments, 0, limit - 1);
    return this.getMany(ids);
  }

  async listDecided(limit = 100): Promise<ExperimentRecord[]> {
    return this.getMany(await this.redis.zrevrange(this.keys.verdicts, 0, limit - 1));
  }

  /** An item's latest experiment, found through the item index (one read, not a scan). */
  async latestExperimentOf(itemId: string): Promise<ExperimentRecord | undefined> {
    const entry = await this.redis.hget(this.keys.items, itemId);
    const experimentId = entry?.split("|")[0];
    return experimentId ? this.getExperiment(experimentId) : undefined;
  }

  /** Every item that ever had an experiment, with its latest one's id, status and item digest. */
  async itemIndex(): Promise<Map<string, IndexedItem>> {
    const all = await this.redis.hgetall(this.keys.items);
    const index = new Map<string, IndexedItem>();
    for (const [itemId, entry] of Object.entries(all)) {
      const [experimentId = "", status = "", digest = ""] = entry.split("|");
      index.set(itemId, { experimentId, status: status as ExperimentStatus, digest });
    }
    return index;
  }

  /** surface → experiment id of every live experiment. */
  async liveSurfaces(): Promise<Record<string, string>> {
    return this.redis.hgetall(this.keys.liveSurfaces);
  }

  async getWeek(week: string): Promise<WeekRecord | undefined> {
    const json = await this.redis.get(this.keys.week(week));
    return json ? (JSON.parse(json) as WeekRecord) : undefined;
  }

  async saveWeek(record: WeekRecord): Promise<void> {
    await this.redis.set(this.keys.week(record.week), serialize(record));
  }

  /** One observation per item: recording the same verdict twice changes nothing. */
  async recordObservation(observation: VerdictObservation): Promise<void> {
    await this.redis.hset(this.keys.observations, observation.itemId, serialize(observation));
  }

  async listObservations(): Promise<VerdictObservation[]> {
    const all = await this.redis.hvals(this.keys.observations);
    return all.map((json) => JSON.parse(json) as VerdictObservation);
  }

  async setMeta(fields: Record<string, string>): Promise<void> {
    await this.redis.hset(this.keys.meta, fields);
  }

  async getMeta(): Promise<Record<string, string>> {
    return this.redis.hgetall(this.keys.meta);
  }

  private async getMany(ids: string[]): Promise<ExperimentRecord[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) {
      pipeline.hmget(this.keys.experiment(id), "json", "version");
      pipeline.hvals(this.keys.checks(id));
    }
    const rows = (await pipeline.exec()) ?? [];
    const records: ExperimentRecord[] = [];
    for (let i = 0; i < rows.length; i += 2) {
      const [recordError, row] = rows[i] ?? [];
      const [json, version] = (row ?? []) as [string | null, string | null];
      if (recordError || !json) continue;
      const checks = ((rows[i + 1]?.[1] ?? []) as string[])
        .map((text) => JSON.parse(text) as DailyCheck)
        .sort((a, b) => a.day - b.day);
      records.push({ ...(JSON.parse(json) as ExperimentRecord), checks, version: Number(version) });
    }
    return records;
  }
}

function serialize(value: unknown): string {
  return JSON.stringify(value);
}

export interface IndexedItem {
  experimentId: string;
  status: ExperimentStatus;
  /** `itemDigest` of the item as its experiment took it. */
  digest: string;
}

/** Tells whether an item's file changed since an experiment took it (a fix unblocks it). */
export function itemDigest(item: BacklogItem): string {
  return createHash("sha1").update(JSON.stringify(item)).digest("hex");
}

function indexEntry(record: ExperimentRecord): string {
  return `${record.id}|${record.status}|${itemDigest(record.item)}`;
}

/** The record without its checks, which live in their own hash. */
function serializeRecord({ checks: _checks, ...rest }: ExperimentRecord): string {
  return serialize(rest);
}

function checkArgs(checks: DailyCheck[]): string[] {
  return checks.flatMap((check) => [String(check.day), serialize(check)]);
}
