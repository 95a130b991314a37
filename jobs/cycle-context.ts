import type { Logger } from "pino";
import type { Config } from "../src/config/config.js";
import type { BacklogItem } from "../src/domain/backlog-item.js";
import type { CodeHost, FlagStore, MetricsSource, Telemetry } from "../src/domain/ports.js";
import type { Ledger } from "../src/ledger/ledger.js";
import type { CycleQueue } from "../src/queue/cycle-queue.js";

export interface Candidate {
  item: BacklogItem;
  score: number;
  /** One line a growth lead can read: why this item ranks where it does. */
  why: string;
}

/** Ranks the eligible backlog for a week, best first (backlog + diagnosis + learned priors). */
export interface Planner {
  rank(week: string): Promise<{ candidates: Candidate[]; invalidFiles: number }>;
}

/** Everything a step of the cycle may use: ports, the ledger, the queue, and the clock. */
export interface CycleContext {
  config: Config;
  ledger: Ledger;
  queue: CycleQueue;
  codeHost: CodeHost;
  flags: FlagStore;
  metrics: MetricsSource;
  telemetry: Telemetry;
  planner: Planner;
  now: () => Date;
  logger: Logger;
}
