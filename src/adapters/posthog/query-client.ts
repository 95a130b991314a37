import type { Logger } from "pino";
import { z } from "zod";
import { PermanentError, TransientError, UserError } from "../../domain/errors.js";
import { countApiCall } from "../../observability/metrics-registry.js";
import { type HogQLQuery, inlineValues } from "./hogql-queries.js";
import { POSTHOG_QUERY_LIMITS, RateLimiter, type RateLimits } from "./rate-limiter.js";

export interface QueryClientOptions {
  /** e.g. `https://eu.posthog.com` (POSTHOG_HOST). */
  host: string;
  /** POSTHOG_PROJECT_ID. */
  projectId: string;
  /** POSTHOG_PERSONAL_API_KEY. */
  personalApiKey: string;
  logger?: Logger;
  limits?: RateLimits;
  /** Attempts in all for a 429, a 5xx or a network error (default 5). */
  attempts?: number;
  /** First backoff (default 1 s), doubled per attempt. */
  baseDelayMs?: number;
  /** No wait is longer than this, whatever `Retry-After` asks (default 60 s). */
  maxDelayMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

/** A query's answer, one object per row keyed by column name. */
export type Row = Record<string, unknown>;

const ResponseSchema = z.object({
  columns: z.array(z.string()),
  results: z.array(z.array(z.unknown())),
});

const ErrorSchema = z.looseObject({ detail: z.string().optional(), code: z.string().optional() });

/**
 * PostHog's query API (`POST /api/projects/:id/query/`, HogQL) behind a limiter: at most three
 * queries at once, 240 a minute, 2,400 an hour. 429 and 5xx answers are retried with
 * exponential backoff that honours `Retry-After` (capped); a 401/403 is a UserError naming the
 * setting to fix; a HogQL error is a UserError quoting the query and PostHog's message. The
 * personal API key never appears in a message.
 */
export class PostHogQueryClient {
  private readonly limiter: RateLimiter;
  private readonly url: string;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: QueryClientOptions) {
    this.limiter = new RateLimiter(options.limits ?? POSTHOG_QUERY_LIMITS);
    this.url = `${options.host.replace(/\/+$/, "")}/api/projects/${encodeURIComponent(options.projectId)}/query/`;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async rows(query: HogQLQuery): Promise<Row[]> {
    const { columns, results } = await this.query(query);
    return results.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i]])));
  }

  async query(query: HogQLQuery): Promise<z.infer<typeof ResponseSchema>> {
    const attempts = this.options.attempts ?? 5;
    const body = JSON.stringify({
      query: { kind: "HogQLQuery", query: query.text, values: query.values, name: query.name },
    });
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.limiter.run(() => this.send(query, body));
      if (outcome.kind === "done") return outcome.response;
      if (attempt >= attempts) {
        throw new TransientError(
          "posthog-unavailable",
          this.mask(
            `PostHog query ${query.name} failed ${attempts} times; last: ${outcome.reason}`,
          ),
        );
      }
      const backoff = (this.options.baseDelayMs ?? 1000) * 2 ** (attempt - 1);
      const delay = Math.min(outcome.retryAfterMs ?? backoff, this.options.maxDelayMs ?? 60_000);
      this.options.logger?.warn(
        { query: query.name, attempt, delayMs: delay, reason: outcome.reason },
        "PostHog query will be retried",
      );
      await this.sleep(delay);
    }
  }

  private async send(
    query: HogQLQuery,
    body: string,
  ): Promise<
    | { kind: "done"; response: z.infer<typeof ResponseSchema> }
    | { kind: "retry"; reason: string; retryAfterMs: number | undefined }
  > {
    let response: Response;
    try {
      response = await this.fetch(this.url, {
        method: "POST",
        headers: {
          authorization: `Bearer ${this.options.personalApiKey}`,
          "content-type": "application/json",
        },
        body,
      });
    } catch (error) {
      countApiCall("posthog", "error");
      return {
        kind: "retry",
        reason: `network error: ${(error as Error).message}`,
        retryAfterMs: undefined,
      };
    }
    const text = await response.text();
    if (response.ok) {
      const parsed = ResponseSchema.safeParse(safeJson(text));
      if (!parsed.success) {
        countApiCall("posthog", "error");
        throw new PermanentError(
          "posthog-response",
          `PostHog answered query ${query.name} without {columns, results}: ${parsed.error.issues[0]?.message}`,
        );
      }
      countApiCall("posthog", "ok");
      return { kind: "done", response: parsed.data };
    }
    countApiCall("posthog", "error");
    const status = response.status;
    if (status === 429 || status >= 500) {
      return {
        kind: "retry",
        reason: `HTTP ${status}`,
        retryAfterMs: retryAfterMs(response.headers.get("retry-after")),
      };
    }
    const detail = ErrorSchema.safeParse(safeJson(text));
    const message = this.mask(
      detail.success && detail.data.detail ? detail.data.detail : text.slice(0, 300),
    );
    if (status === 401) {
      throw new UserError(
        "posthog-auth",
        `PostHog rejected POSTHOG_PERSONAL_API_KEY (401): ${message}. Create a personal API key with the query:read scope.`,
      );
    }
    if (status === 403) {
      throw new UserError(
        "posthog-auth",
        `POSTHOG_PERSONAL_API_KEY may not query project ${this.options.projectId} (403): ${message}. Give the key the query:read scope and this project, or fix POSTHOG_PROJECT_ID.`,
      );
    }
    if (status === 404) {
      throw new UserError(
        "posthog-project",
        `PostHog has no project ${this.options.projectId} at ${this.options.host} (404): check POSTHOG_PROJECT_ID and POSTHOG_HOST.`,
      );
    }
    throw new UserError(
      "posthog-hogql",
      `PostHog rejected the HogQL query ${query.name} (${status}): ${message}\n${inlineValues(query)}`,
    );
  }

  private mask(message: string): string {
    return message.split(this.options.personalApiKey).join("[redacted]");
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `Retry-After` as seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
