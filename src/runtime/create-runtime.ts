import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { CycleContext } from "../../jobs/cycle-context.js";
import type { Config } from "../config/config.js";
import { Ledger } from "../ledger/ledger.js";
import { pqlKeys } from "../pql/pql-keys.js";
import { countRoutedLeads } from "../pql/pql-report.js";
import type { PqlRule } from "../pql/rule-schema.js";
import { readRules } from "../pql/start-pql-routing.js";
import { CycleQueue } from "../queue/cycle-queue.js";
import { type RedisConnector, redisConnector } from "../queue/redis-connection.js";
import { backlogPlanner, type FunnelSource } from "./backlog-planner.js";
import { choosePorts, type Ports } from "./choose-ports.js";
import { funnelSourceFor } from "./funnel-source.js";

export interface Runtime {
  context: CycleContext;
  /** What the kickoff weights stages by; the status page shows the same. */
  funnel: FunnelSource;
  redis: Redis;
  connector: RedisConnector;
  ports: Ports;
  close(): Promise<void>;
}

/** Wires config, Redis, ledger, queue and ports into the context every job receives. */
export function createRuntime(config: Config, logger: Logger): Runtime {
  const connector = redisConnector(config.redisUrl, logger);
  const redis = connector.connect();
  const ports = choosePorts(config, redis, logger);
  // The rules PQL routing evaluates, read once as the routing reads them at start: an account
  // rule's subjects are accounts, whose conversions are recorded apart from the users'. A rule
  // dir that cannot be read means no rules here as in the routing, which reports why.
  let rules: Promise<PqlRule[]> | undefined;
  const funnel = funnelSourceFor(config, ports.posthogFunnel, async () => {
    rules ??= readRules(config.pqlDir).catch(() => []);
    return countRoutedLeads(redis, pqlKeys(config.prefix), await rules);
  });
  const ledger = new Ledger(redis, config.prefix);
  const queue = new CycleQueue(redis, config.prefix, (error) => {
    // The connector reports an outage once; anything else is worth a line.
    if (!connector.isDown()) logger.error({ err: error }, "queue error");
  });
  const context: CycleContext = {
    config,
    ledger,
    queue,
    codeHost: ports.codeHost,
    flags: ports.flags,
    metrics: ports.metrics,
    telemetry: ports.telemetry,
    planner: backlogPlanner(config.backlogDir, ledger, funnel),
    now: () => new Date(),
    logger,
  };
  return {
    context,
    funnel,
    redis,
    connector,
    ports,
    async close() {
      await ports.telemetry.shutdown();
      await queue.close();
      redis.disconnect();
    },
  };
}
