import { Octokit } from "octokit";
import type { Logger } from "pino";
import { countApiCall } from "../../observability/metrics-registry.js";

/**
 * How patient octokit is before an error reaches us. Production keeps octokit's defaults
 * (retries after 1 s, 4 s, 9 s; GitHub's recommended pacing of writes); tests and benches turn
 * the waits down and may pass their own write/notification limiters.
 */
export interface OctokitTuning {
  /** Retries of 5xx/429 answers (default 3). */
  retries?: number;
  /** Milliseconds per retry "unit" (default 1000: retry after 1, 4, 9 units). */
  retryAfterBaseValue?: number;
  /** Rate-limit waits are `retry-after` × this many milliseconds (default 1000). */
  throttleAfterBaseValue?: number;
  /** Extra throttling options (octokit's `write` / `notifications` limiter groups). */
  throttle?: Record<string, unknown>;
  /** A fetch to use instead of the global one. */
  fetch?: typeof fetch;
}

/** How many times a rate-limited request is retried inside one job before BullMQ's backoff takes over. */
const RATE_LIMIT_RETRIES = 2;
/** Longer waits than this are left to BullMQ (the job is retried later instead of holding a worker). */
const MAX_INLINE_WAIT_S = 60;

/**
 * An Octokit class with shiploop's defaults: the API base URL, retry and throttling that log
 * what they do, and a fetch that counts every HTTP request in the metrics and logs it at
 * debug level (method, path, status, duration — never headers).
 */
export function createOctokitClass(baseUrl: string, logger: Logger, tuning: OctokitTuning = {}) {
  const log = logger.child({ service: "github" });
  const onLimit =
    (kind: string) =>
    (
      retryAfter: number,
      options: { method: string; url: string },
      _o: unknown,
      retryCount: number,
    ) => {
      const retry = retryCount < RATE_LIMIT_RETRIES && retryAfter <= MAX_INLINE_WAIT_S;
      log.warn(
        { method: options.method, url: options.url, retryAfter, retryCount, retry },
        `GitHub ${kind}: ${retry ? `retrying after ${retryAfter} s` : "giving up for now"}`,
      );
      return retry;
    };
  return Octokit.defaults({
    baseUrl,
    userAgent: "shiploop",
    request: { fetch: countingFetch(tuning.fetch ?? globalThis.fetch, log) },
    retry: {
      ...(tuning.retries !== undefined ? { retries: tuning.retries } : {}),
      ...(tuning.retryAfterBaseValue !== undefined
        ? { retryAfterBaseValue: tuning.retryAfterBaseValue }
        : {}),
    },
    throttle: {
      onRateLimit: onLimit("rate limit"),
      onSecondaryRateLimit: onLimit("secondary rate limit"),
      ...(tuning.throttleAfterBaseValue !== undefined
        ? { retryAfterBaseValue: tuning.throttleAfterBaseValue }
        : {}),
      ...tuning.throttle,
    },
    log: {
      debug: (message: string) => log.debug(message),
      info: (message: string) => log.info(message),
      warn: (message: string) => log.warn(message),
      error: (message: string) => log.error(message),
    },
  });
}

export type OctokitClass = ReturnType<typeof createOctokitClass>;
export type GitHubClient = InstanceType<OctokitClass>;

function countingFetch(inner: typeof fetch, log: Logger): typeof fetch {
  return async (input, init) => {
    const started = performance.now();
    const method = init?.method ?? "GET";
    const path = new URL(input instanceof Request ? input.url : String(input)).pathname;
    try {
      const response = await inner(input, init);
      countApiCall("github", response.status < 400 ? "ok" : "error");
      log.debug(
        { method, path, status: response.status, ms: Math.round(performance.now() - started) },
        "github request",
      );
      return response;
    } catch (error) {
      countApiCall("github", "error");
      log.debug({ method, path, error: String(error) }, "github request failed");
      throw error;
    }
  };
}
