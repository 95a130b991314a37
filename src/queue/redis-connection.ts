import { Redis } from "ioredis";
import type { Logger } from "pino";
import { UserError } from "../domain/errors.js";

export interface RedisConnector {
  /** A new connection; every connection of one connector shares one outage report. */
  connect(): Redis;
  /** True while Redis is unreachable (after the first failed attempt, until a reconnect). */
  isDown(): boolean;
}

/**
 * Connections for BullMQ and the ledger that never give up: while Redis is away, commands wait
 * and each client reconnects with capped exponential backoff. The outage is logged once when it
 * starts and once when it ends, however many connections notice it and however long it lasts.
 */
export function redisConnector(url: string, logger: Logger): RedisConnector {
  let down = false;
  const onError = (error: NodeJS.ErrnoException) => {
    if (down) return;
    down = true;
    logger.error(
      { redis: safeUrl(url), code: error.code },
      `Redis at ${safeUrl(url)} is not reachable (${error.code ?? error.message}); retrying with backoff`,
    );
  };
  const onReady = () => {
    if (!down) return;
    down = false;
    logger.info({ redis: safeUrl(url) }, "Redis is reachable again");
  };
  return {
    connect() {
      const redis = new Redis(url, {
        maxRetriesPerRequest: null,
        enableReadyCheck: true,
        retryStrategy: (attempt) => Math.min(250 * 2 ** Math.min(attempt, 8), 30_000),
      });
      redis.on("error", onError);
      redis.on("ready", onReady);
      return redis;
    },
    isDown: () => down,
  };
}

/** The URL without its password, for logs. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable REDIS_URL)";
  }
}

/**
 * A connection for one-shot commands (`kick`, `status`): it fails fast with a clear message
 * instead of waiting for Redis like the worker does.
 */
export async function connectRedisOnce(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3_000,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  redis.on("error", () => {
    // Reported by connect() below; without a listener ioredis would print it again.
  });
  try {
    await redis.connect();
    return redis;
  } catch (error) {
    redis.disconnect();
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UserError(
      "redis-unreachable",
      `Redis at ${safeUrl(url)} is not reachable (${code}); check REDIS_URL`,
    );
  }
}
