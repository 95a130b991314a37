import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { CycleContext } from "../../jobs/cycle-context.js";
import type { Config } from "../config/config.js";
import { Ledger } from "../ledger/ledger.js";
import { CycleQueue } from "../queue/cycle-queue.js";
import { connectRedis } from "../queue/redis-connection.js";
import { backlogPlanner, type FunnelSource } from "./backlog-planner.js";
import { choosePorts, type Ports } from "./choose-ports.js";
import { funnelSourceFor } from "./funnel-source.js";

export interface Runtime {
  context: CycleContext;
  redis: Redis;
  ports: Ports;
  close(): Promise<void>;
}

/** Wires config, Redis, ledger, queue and ports into the context every job receives. */
export function createRuntime(
  config: Config,
  logger: Logger,
  funnel: FunnelSource = funnelSourceFor(config),
): Runtime {
  const redis = connectRedis(config.redisUrl, logger);
  const ports = choosePorts(config, redis);
  const ledger = new Ledger(redis, config.prefix);
  const queue = new CycleQueue(redis, config.prefix);
  const context: CycleContext = {
    config,
    ledger,
    queue,
    ...ports,
    planner: backlogPlanner(config.backlogDir, ledger, funnel),
    now: () => new Date(),
    logger,
  };
  return {
    context,
    redis,
    ports,
    async close() {
      await queue.close();
      redis.disconnect();
    },
  };
}
