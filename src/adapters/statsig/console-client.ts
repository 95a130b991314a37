import type { Logger } from "pino";
import { PermanentError, TransientError, UserError } from "../../domain/errors.js";
import { scrubSecrets } from "../../log/create-logger.js";
import { countApiCall } from "../../observability/metrics-registry.js";
import { EnvelopeSchema, ErrorBodySchema, PaginationSchema } from "./console-schemas.js";
import { defaultSleep, SlidingWindowLimiter } from "./rate-limiter.js";

export const CONSOLE_API_VERSION = "20240601";

export interface ConsoleClientOptions {
  apiKey: string;
  /** e.g. https://statsigapi.net/console/v1 (no trailing slash). */
  baseUrl: string;
  logger: Logger;
  /** How many times a 429 is retried before giving up with a TransientError. */
  maxRateLimitRetries?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Writes per window: well under Statsig's ~100 requests / 10 s. */
  mutationLimit?: { max: number; windowMs: number };
  /** All requests per window. */
  requestLimit?: { max: number; windowMs: number };
  /** All requests per long window: Statsig also caps ~900 requests / 15 min. */
  longRequestLimit?: { max: number; windowMs: number };
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

export interface RequestOptions {
  /** What the request is about, for messages: `gate onboarding_three_steps`. */
  subject: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Statuses the caller handles itself: returned instead of thrown. */
  accept?: readonly number[];
}

export interface ConsoleResponse {
  status: number;
  data: unknown;
  message: string | undefined;
  /** Lists only: `{ nextPage, pageNumber, totalItems, … }`. */
  pagination?: unknown;
}

/**
 * The Statsig Console API over Node's fetch: the key and version headers, `{message, data}`
 * bodies, a limiter that keeps writes well under the project's rate limit, and 429 retried
 * with exponential backoff and full jitter (honouring Retry-After) up to a cap. Every other
 * failure becomes one shiploop error: 401/403 and 404 name the setting or the entity to fix,
 * 5xx and network faults are transient. The key never appears in a message or a log line.
 */
export class StatsigConsoleClient {
  private readonly mutations: SlidingWindowLimiter;
  private readonly requests: SlidingWindowLimiter;
  private readonly longRequests: SlidingWindowLimiter;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: ConsoleClientOptions) {
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    const now = options.now ?? Date.now;
    const m = options.mutationLimit ?? { max: 30, windowMs: 10_000 };
    const r = options.requestLimit ?? { max: 80, windowMs: 10_000 };
    this.mutations = new SlidingWindowLimiter(m.max, m.windowMs, now, this.sleep);
    this.requests = new SlidingWindowLimiter(r.max, r.windowMs, now, this.sleep);
    const l = options.longRequestLimit ?? { max: 800, windowMs: 15 * 60_000 };
    this.longRequests = new SlidingWindowLimiter(l.max, l.windowMs, now, this.sleep);
  }

  async request(method: string, path: string, options: RequestOptions): Promise<ConsoleResponse> {
    const url = this.url(path, options.query);
    const maxRetries = this.options.maxRateLimitRetries ?? 5;
    for (let attempt = 0; ; attempt++) {
      if (method !== "GET") await this.mutations.acquire();
      await this.longRequests.acquire();
      await this.requests.acquire();
      const response = await this.send(method, url, path, options);
      const text = await response.text();
      const ok = response.status >= 200 && response.status < 300;
      countApiCall("statsig", ok ? "ok" : "error");
      this.options.logger.debug(
        { service: "statsig", method, path, status: response.status, attempt },
        "statsig console request",
      );
      if (ok) return this.parseSuccess(response.status, text, method, path, options.subject);
      if (options.accept?.includes(response.status)) {
        return { status: response.status, data: undefined, message: this.errorMessage(text) };
      }
      if (response.status === 429) {
        if (attempt >= maxRetries) {
          throw new TransientError(
            "statsig-rate-limited",
            `Statsig kept answering 429 (rate limited) for ${options.subject} after ${attempt + 1} attempts; trying again later`,
          );
        }
        const wait = this.backoff(attempt, response.headers.get("retry-after"));
        this.options.logger.warn(
          { service: "statsig", method, path, attempt, waitMs: wait },
          "statsig rate limit: backing off",
        );
        await this.sleep(wait);
        continue;
      }
      throw this.failure(response.status, method, path, options.subject, text);
    }
  }

  /** Every item of a paginated list (`limit`/`page`), up to `maxPages` pages. */
  async list(path: string, subject: string, maxPages = 50): Promise<unknown[]> {
    const all: unknown[] = [];
    for (let page = 1; page <= maxPages; page++) {
      const res = await this.request("GET", path, { subject, query: { limit: 100, page } });
      const items = Array.isArray(res.data) ? res.data : [];
      all.push(...items);
      const pagination = PaginationSchema.safeParse(res.pagination);
      const next = pagination.success ? pagination.data.nextPage : undefined;
      if (items.length === 0 || !next) break;
    }
    return all;
  }

  private async send(
    method: string,
    url: string,
    path: string,
    options: RequestOptions,
  ): Promise<Response> {
    try {
      return await fetch(url, {
        method,
        headers: {
          "STATSIG-API-KEY": this.options.apiKey,
          "STATSIG-API-VERSION": CONSOLE_API_VERSION,
          accept: "application/json",
          ...(options.body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
    } catch (error) {
      countApiCall("statsig", "error");
      const reason = error instanceof Error ? error.message : String(error);
      throw new TransientError(
        "statsig-unreachable",
        this.scrub(
          `Statsig Console API (${this.options.baseUrl}) did not answer ${method} ${path} for ${options.subject}: ${reason}`,
        ),
      );
    }
  }

  private parseSuccess(
    status: number,
    text: string,
    method: string,
    path: string,
    subject: string,
  ): ConsoleResponse {
    let json: unknown;
    try {
      json = text === "" ? {} : JSON.parse(text);
    } catch {
      throw new PermanentError(
        "statsig-bad-response",
        `Statsig answered ${method} ${path} for ${subject} with a body that is not JSON`,
      );
    }
    const envelope = EnvelopeSchema.safeParse(json);
    if (!envelope.success) {
      throw new PermanentError(
        "statsig-bad-response",
        `Statsig answered ${method} ${path} for ${subject} without a {message, data} object`,
      );
    }
    const pagination = (json as { pagination?: unknown }).pagination;
    return { status, data: envelope.data.data, message: envelope.data.message, pagination };
  }

  private failure(
    status: number,
    method: string,
    path: string,
    subject: string,
    text: string,
  ): Error {
    if (status === 401 || status === 403) {
      // Statsig's own 401 message quotes the key it was sent: never pass it on.
      return new UserError(
        "statsig-auth",
        `Statsig refused STATSIG_CONSOLE_API_KEY (HTTP ${status}) for ${subject}: set STATSIG_CONSOLE_API_KEY to an active Console API key of the project${status === 403 ? " with permission to change gates and experiments" : ""}`,
      );
    }
    const said = this.errorMessage(text);
    const quoted = said ? `: ${said}` : "";
    if (status === 404) {
      return new UserError(
        "statsig-not-found",
        `Statsig has no ${subject} (HTTP 404 for ${method} ${path})${quoted}; check the name in the backlog item and that STATSIG_CONSOLE_API_KEY belongs to the project that has it`,
      );
    }
    if (status >= 500) {
      return new TransientError(
        "statsig-server-error",
        `Statsig answered HTTP ${status} to ${method} ${path} for ${subject}${quoted}`,
      );
    }
    return new UserError(
      "statsig-rejected",
      `Statsig rejected ${method} ${path} for ${subject} (HTTP ${status})${quoted}`,
    );
  }

  private errorMessage(text: string): string | undefined {
    try {
      const parsed = ErrorBodySchema.safeParse(JSON.parse(text));
      return parsed.success && parsed.data.message ? this.scrub(parsed.data.message) : undefined;
    } catch {
      return undefined;
    }
  }

  private backoff(attempt: number, retryAfter: string | null): number {
    const base = this.options.backoffBaseMs ?? 1000;
    const max = this.options.backoffMaxMs ?? 30_000;
    const ceiling = Math.min(max, base * 2 ** attempt);
    const jittered = Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
    const seconds = retryAfter === null ? Number.NaN : Number(retryAfter);
    const floor = Number.isFinite(seconds) ? Math.min(max, seconds * 1000) : 0;
    return Math.max(jittered, floor);
  }

  private url(path: string, query?: RequestOptions["query"]): string {
    const url = new URL(`${this.options.baseUrl}${path}`);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  private scrub(text: string): string {
    return scrubSecrets(text, [this.options.apiKey]);
  }
}
