import type { Redis } from "ioredis";
import type { Config } from "../config/config.js";
import { Ledger } from "../ledger/ledger.js";
import { CycleQueue } from "../queue/cycle-queue.js";
import { connectRedisOnce } from "../queue/redis-connection.js";

export interface LedgerSession {
  redis: Redis;
  ledger: Ledger;
  queue: CycleQueue;
}

/** Opens the ledger and queue for a one-shot command, and always closes them afterwards. */
export async function withLedger<T>(
  config: Config,
  use: (session: LedgerSession) => Promise<T>,
): Promise<T> {
  const redis = await connectRedisOnce(config.redisUrl);
  const queue = new CycleQueue(redis, config.prefix);
  try {
    return await use({ redis, ledger: new Ledger(redis, config.prefix), queue });
  } finally {
    await queue.close();
    redis.disconnect();
  }
}
