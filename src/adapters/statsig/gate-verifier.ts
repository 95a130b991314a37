import { Statsig, StatsigUser } from "@statsig/statsig-node-core";
import type { Logger } from "pino";
import { TransientError, UserError } from "../../domain/errors.js";
import { defaultSleep } from "./rate-limiter.js";

export interface GateVerifierOptions {
  serverSecret: string;
  specsUrl?: string;
  logEventUrl?: string;
  logger: Logger;
  /** Synthetic user ids evaluated per try. */
  users?: number;
  /** The SDK's CDN may lag a console change: how many tries, and how long between them. */
  attempts?: number;
  retryDelayMs?: number;
  initTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface Observation {
  passed: number;
  users: number;
  /** The SDK knows the gate at all. */
  known: boolean;
}

/** How far the observed pass rate may stand from the split: 4.5 binomial standard deviations. */
export function passRateTolerance(percent: number, users: number): { low: number; high: number } {
  const p = percent / 100;
  const sd = Math.sqrt((p * (1 - p)) / users);
  // At 0 % and 100 % the SDK is exact; elsewhere allow sampling noise of the hash.
  const margin = 4.5 * sd + (p > 0 && p < 1 ? 0.5 / users : 0);
  return { low: Math.max(0, p - margin), high: Math.min(1, p + margin) };
}

/**
 * Proves a gate change is live where it matters: the server SDK (logging off) downloads the
 * project's config specs, evaluates the gate for a few thousand synthetic user ids, and the
 * pass rate must fall within a binomial tolerance of the split. A mismatch is a UserError, so
 * the experiment is blocked rather than measuring a split that is not live.
 */
export class GateVerifier {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: GateVerifierOptions) {
    this.sleep = options.sleep ?? defaultSleep;
  }

  async verify(gate: string, percent: number): Promise<Observation> {
    const users = this.options.users ?? 4000;
    const attempts = this.options.attempts ?? 6;
    const { low, high } = passRateTolerance(percent, users);
    let last: Observation | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      last = await this.observe(gate, users);
      const rate = last.passed / last.users;
      if (rate >= low && rate <= high) {
        this.options.logger.info(
          { service: "statsig", gate, percent, observed: rate, users, attempt },
          "gate split verified with the server SDK",
        );
        return last;
      }
      this.options.logger.warn(
        { service: "statsig", gate, percent, observed: rate, users, attempt },
        "server SDK does not see the gate split yet",
      );
      if (attempt < attempts) await this.sleep(this.options.retryDelayMs ?? 10_000);
    }
    const observed = last as Observation;
    const seen = ((100 * observed.passed) / observed.users).toFixed(1);
    const why = observed.known
      ? `passes ${seen} % of ${observed.users} synthetic users`
      : "does not know the gate at all";
    throw new UserError(
      "statsig-split-not-live",
      `Statsig gate ${gate}: the Console API says ${percent} %, but the server SDK ${why} (expected ${(100 * low).toFixed(1)}–${(100 * high).toFixed(1)} %) after ${attempts} tries; the split is not live, so it is not measured. Check the gate's other rules, environments and enabled state, and that STATSIG_SERVER_SECRET belongs to the same project`,
    );
  }

  private async observe(gate: string, users: number): Promise<Observation> {
    const statsig = new Statsig(this.options.serverSecret, {
      ...(this.options.specsUrl ? { specsUrl: this.options.specsUrl } : {}),
      ...(this.options.logEventUrl ? { logEventUrl: this.options.logEventUrl } : {}),
      disableAllLogging: true,
      disableCountryLookup: true,
      outputLogLevel: "none",
      initTimeoutMs: this.options.initTimeoutMs ?? 5000,
    });
    try {
      const init = await statsig.initialize();
      if (!init.isSuccess) throw initFailure(gate, init.error ?? "");
      const known = statsig.getFeatureGateList().includes(gate);
      let passed = 0;
      for (let i = 0; i < users; i++) {
        if (statsig.checkGate(new StatsigUser({ userID: `shiploop-verify-${i}` }), gate)) passed++;
      }
      return { passed, users, known };
    } finally {
      await statsig.shutdown();
    }
  }
}

/** The SDK's error names the URL with a partly masked key: keep only the status. */
function initFailure(gate: string, error: string): Error {
  const status = /status\((\d{3})\)/.exec(error)?.[1];
  if (status === "401" || status === "403") {
    return new UserError(
      "statsig-server-secret",
      `the Statsig server SDK was refused its config specs (HTTP ${status}) while verifying gate ${gate}: set STATSIG_SERVER_SECRET to the project's server secret key`,
    );
  }
  return new TransientError(
    "statsig-sdk-unavailable",
    `the Statsig server SDK could not download its config specs while verifying gate ${gate} (${status ? `HTTP ${status}` : "no answer"}); check STATSIG_SPECS_URL`,
  );
}
