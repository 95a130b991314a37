import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { HogQLQuery } from "../../../src/adapters/posthog/hogql-queries.js";
import { PostHogQueryClient, retryAfterMs } from "../../../src/adapters/posthog/query-client.js";
import { RateLimiter } from "../../../src/adapters/posthog/rate-limiter.js";
import { TransientError, UserError } from "../../../src/domain/errors.js";
import { FakePostHog } from "../../fakes/posthog/fake-posthog.js";
import { HogQLError } from "../../fakes/posthog/hogql-evaluators.js";

const QUERY: HogQLQuery = {
  name: "test-count",
  text: "SELECT count() AS n FROM events WHERE event = {event}",
  values: { event: "signed_up" },
};

let fake: FakePostHog;
const sleeps: number[] = [];

function client(overrides: Partial<ConstructorParameters<typeof PostHogQueryClient>[0]> = {}) {
  return new PostHogQueryClient({
    host: fake.url,
    projectId: fake.projectId,
    personalApiKey: fake.personalApiKey,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...overrides,
  });
}

beforeEach(async () => {
  sleeps.length = 0;
  fake = await FakePostHog.start({ queryDelayMs: 20 });
  fake.addEvents([
    { event: "signed_up", distinct_id: "a", timestamp: "2026-01-05T00:00:00Z" },
    { event: "signed_up", distinct_id: "b", timestamp: "2026-01-05T01:00:00Z" },
  ]);
  fake.answer([
    [
      QUERY.text,
      (values, events) => ({
        columns: ["n"],
        results: [[events.filter((e) => e.event === values.event).length]],
      }),
    ],
  ]);
});
afterEach(() => fake.close());

describe("the PostHog query client", () => {
  it("sends the HogQL query with its values and the bearer key, and maps rows by column", async () => {
    expect(await client().rows(QUERY)).toEqual([{ n: 2 }]);
    expect(fake.queries).toEqual([
      { name: "test-count", text: QUERY.text, values: { event: "signed_up" }, status: 200 },
    ]);
  });

  it("never runs more than three queries at once", async () => {
    const c = client();
    const answers = await Promise.all(Array.from({ length: 10 }, () => c.rows(QUERY)));
    expect(answers).toHaveLength(10);
    expect(fake.queries).toHaveLength(10);
    expect(fake.maxConcurrent).toBeLessThanOrEqual(3);
    expect(fake.maxConcurrent).toBeGreaterThan(1);
  });

  it("retries a 429 honouring Retry-After and a 500 with backoff, then succeeds", async () => {
    fake.failNext(429, 1, "2");
    fake.failNext(500, 1);
    expect(await client({ baseDelayMs: 100 }).rows(QUERY)).toEqual([{ n: 2 }]);
    expect(fake.queries.map((q) => q.status)).toEqual([429, 500, 200]);
    expect(sleeps).toEqual([2000, 200]);
  });

  it("caps a long Retry-After and gives up after the attempts with a transient error", async () => {
    fake.failNext(503, 3, "3600");
    const error = await client({ attempts: 3, maxDelayMs: 5_000 })
      .rows(QUERY)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toMatch(/failed 3 times; last: HTTP 503/);
    expect(sleeps).toEqual([5_000, 5_000]);
  });

  it("names POSTHOG_PERSONAL_API_KEY on a 401 and never shows the key", async () => {
    const error = await client({ personalApiKey: "phx_wrong_secret" })
      .rows(QUERY)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/^PostHog rejected POSTHOG_PERSONAL_API_KEY \(401\)/);
    expect((error as Error).message).not.toContain("phx_wrong_secret");
    expect(fake.queries).toHaveLength(1);
  });

  it("names the project and POSTHOG_PROJECT_ID on a 403", async () => {
    const error = await client({ projectId: "999" })
      .rows(QUERY)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(
      /may not query project 999 \(403\).*POSTHOG_PROJECT_ID/,
    );
  });

  it("quotes the query and PostHog's message on a HogQL error", async () => {
    fake.answer([
      [
        QUERY.text,
        () => {
          throw new HogQLError("Unable to resolve field: evnt");
        },
      ],
    ]);
    const error = await client()
      .rows(QUERY)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(
      "PostHog rejected the HogQL query test-count (400): Unable to resolve field: evnt\nSELECT count() AS n FROM events WHERE event = 'signed_up'",
    );
  });
});

describe("the rate limiter", () => {
  it("keeps starts within a sliding window, in arrival order", async () => {
    vi.useFakeTimers();
    try {
      const limiter = new RateLimiter({ concurrent: 10, windows: [{ limit: 2, ms: 1_000 }] });
      const started: number[] = [];
      const all = Promise.all(
        [1, 2, 3, 4, 5].map((i) => limiter.run(async () => void started.push(i))),
      );
      await vi.advanceTimersByTimeAsync(0);
      expect(started).toEqual([1, 2]);
      await vi.advanceTimersByTimeAsync(999);
      expect(started).toEqual([1, 2]);
      await vi.advanceTimersByTimeAsync(2);
      expect(started).toEqual([1, 2, 3, 4]);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(started).toEqual([1, 2, 3, 4, 5]);
      await all;
    } finally {
      vi.useRealTimers();
    }
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    expect(retryAfterMs("7")).toBe(7000);
    expect(retryAfterMs(new Date(61_000).toUTCString(), 1_000)).toBe(60_000);
    expect(retryAfterMs("soon")).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });
});
