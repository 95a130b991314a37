import { Writable } from "node:stream";
import { type Logger, pino } from "pino";
import { StatsigConsoleClient } from "../../../src/adapters/statsig/console-client.js";
import { GateVerifier } from "../../../src/adapters/statsig/gate-verifier.js";
import { StatsigFlagStore } from "../../../src/adapters/statsig/statsig-flag-store.js";
import { StatsigResultsSource } from "../../../src/adapters/statsig/statsig-results-source.js";
import type { FakeStatsig } from "../../fakes/statsig/fake-statsig.js";

/** A debug-level logger whose every line is kept, so a test can search what was logged. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  return { logger: pino({ level: "debug" }, stream), lines };
}

export interface Kit {
  fake: FakeStatsig;
  client: StatsigConsoleClient;
  flags: StatsigFlagStore;
  results: StatsigResultsSource;
  lines: string[];
  sleeps: number[];
}

/** The adapter wired to a started fake, with waits shortened and recorded. */
export function kit(
  fake: FakeStatsig,
  overrides: {
    apiKey?: string;
    serverSecret?: string;
    verify?: boolean;
    maxRateLimitRetries?: number;
    mutationLimit?: { max: number; windowMs: number };
    /** A virtual clock for the limiters: its sleeps advance it instead of waiting. */
    clock?: { now: () => number; sleep: (ms: number) => Promise<void> };
  } = {},
): Kit {
  const { logger, lines } = capturingLogger();
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
  };
  const client = new StatsigConsoleClient({
    apiKey: overrides.apiKey ?? fake.apiKey,
    baseUrl: fake.consoleUrl,
    logger,
    backoffBaseMs: 100,
    sleep: overrides.clock?.sleep ?? sleep,
    ...(overrides.clock ? { now: overrides.clock.now } : {}),
    ...(overrides.maxRateLimitRetries === undefined
      ? {}
      : { maxRateLimitRetries: overrides.maxRateLimitRetries }),
    ...(overrides.mutationLimit ? { mutationLimit: overrides.mutationLimit } : {}),
  });
  const verifier =
    overrides.verify === false
      ? undefined
      : new GateVerifier({
          serverSecret: overrides.serverSecret ?? fake.serverSecret,
          specsUrl: fake.specsUrl,
          logEventUrl: fake.logEventUrl,
          logger,
          users: 2000,
          attempts: 2,
          retryDelayMs: 10,
          initTimeoutMs: 3000,
        });
  const flags = new StatsigFlagStore({ client, verifier, logger });
  const results = new StatsigResultsSource({ client, logger, windowMs: 7 * 86_400_000 });
  return { fake, client, flags, results, lines, sleeps };
}
