import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StatusServer, startStatusServer } from "../../src/http/status-server.js";
import { NOW, type SeededSandbox, seedSandbox, THIS_WEEK } from "./seed-sandbox.js";

const TOKEN = "page-test-token-5f2c";
const SHOTS = join("test-results", "http");
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-quic",
  "--no-first-run",
  "--disable-component-update",
  "--disable-sync",
];

let seeded: SeededSandbox;
let server: StatusServer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const [sandbox, launched] = await Promise.all([
    seedSandbox("pages"),
    chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS }),
  ]);
  seeded = sandbox;
  browser = launched;
  const { ctx, redis, worker } = seeded.runtime;
  server = await startStatusServer({
    config: { ...ctx.config, httpHost: "127.0.0.1", httpToken: TOKEN },
    redis,
    ledger: ctx.ledger,
    queue: ctx.queue,
    ...(worker ? { worker } : {}),
    now: () => NOW,
    port: 0,
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await seeded?.close();
});

/** A page with the token sent as a bearer header, failing on any script error in the page. */
async function openPage(path: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    extraHTTPHeaders: { authorization: `Bearer ${TOKEN}` },
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  const response = await page.goto(`${server.url}${path}`);
  expect(response?.status()).toBe(200);
  return { page, errors };
}

/** Points per dataset of each Chart.js chart in the page, read from the live Chart instances. */
function chartPoints(page: Page): Promise<Record<string, number[]>> {
  return page.evaluate(() => {
    const charts = (
      globalThis as unknown as {
        shiploopCharts: Record<string, { data: { datasets: { data: unknown[] }[] } }>;
      }
    ).shiploopCharts;
    return Object.fromEntries(
      Object.entries(charts).map(([name, chart]) => [
        name,
        chart.data.datasets.map((d) => d.data.length),
      ]),
    );
  });
}

describe("the status pages in a real browser", () => {
  it("home: this week's experiment, the backlog ranking and a timeline chart with one point per decided week", async () => {
    const { page, errors } = await openPage("/");
    await page.waitForSelector("html[data-charts-ready='1']");
    expect(await page.locator("h1").first().textContent()).toBe(`This week: ${THIS_WEEK}`);
    const current = Object.values(seeded.decided).find((e) => e.week === THIS_WEEK);
    expect(await page.locator("#this-week a.big").textContent()).toBe(current?.item.title);
    // The hostile item is listed as text; its markup never became elements. (The page's CSP
    // would stop an injected handler from running anyway, so `__pwned` alone proves little.)
    const hostileTitle = seeded.decided.hostile?.item.title ?? "";
    expect(await page.locator("body").textContent()).toContain(hostileTitle);
    expect(await page.locator("img").count()).toBe(0);
    expect(
      await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned),
    ).toBeUndefined();
    // Four decided weeks in week order: four bars and four cumulative points.
    const labels = await page.evaluate(
      () =>
        (globalThis as unknown as { shiploopCharts: { timeline: { data: { labels: string[] } } } })
          .shiploopCharts.timeline.data.labels,
    );
    expect(labels.map((l) => l.slice(0, 8))).toEqual([
      "2026-W46",
      "2026-W47",
      "2026-W48",
      "2026-W49",
    ]);
    expect(await chartPoints(page)).toEqual({ timeline: [4, 4] });
    const cumulative = await page.evaluate(
      () =>
        (
          globalThis as unknown as {
            shiploopCharts: { timeline: { data: { datasets: { data: number[] }[] } } };
          }
        ).shiploopCharts.timeline.data.datasets[0]?.data ?? [],
    );
    const shipped = Object.values(seeded.decided).filter(
      (e) => e.verdict?.decision === "ship" && !e.verdict.early,
    );
    const expected =
      shipped.reduce((g, e) => g * (1 + (e.verdict?.primary.relativeLift ?? 0)), 1) - 1;
    expect(cumulative.at(-1)).toBeCloseTo(expected, 10);
    // The backlog ranking lists every item; only the one never run is eligible.
    const ranking = page.locator("#backlog tbody tr");
    expect(await ranking.count()).toBe(5);
    expect(await page.locator("#backlog tbody tr:not(.ineligible)").count()).toBe(1);
    expect(await page.locator("#backlog tbody tr:not(.ineligible)").textContent()).toContain(
      "later-idea",
    );
    expect(await page.locator("#verdicts tbody tr").count()).toBe(4);
    await page.screenshot({ path: join(SHOTS, "home.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("verdict page: daily cumulative lift with its interval band, one point per check plus the verdict", async () => {
    const winner = seeded.decided.winner;
    if (!winner?.verdict) throw new Error("the winner has no verdict");
    const { page, errors } = await openPage(`/experiments/${winner.id}`);
    await page.waitForSelector("html[data-charts-ready='2']");
    const points = winner.checks.length + 1;
    // upper bound, lower bound (filled to the upper: the band), lift; then one interval bar per metric.
    expect(await chartPoints(page)).toEqual({
      dailyLift: [points, points, points],
      intervals: [1 + winner.verdict.guardrails.length],
    });
    expect(await page.locator("#verdict h2").textContent()).toBe("Verdict: Ship");
    const variants = await page.locator("#variants tbody tr").allTextContents();
    expect(variants).toHaveLength(2);
    expect(variants[0]).toContain(winner.verdict.variants[0]?.users.toLocaleString("en-US"));
    expect(await page.locator("#variants").textContent()).toContain("no mismatch");
    expect(await page.locator("#metrics tbody tr").count()).toBe(2);
    expect(await page.locator("#checks tbody tr").count()).toBe(winner.checks.length);
    await page.screenshot({ path: join(SHOTS, "experiment-winner.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("verdict page of a roll-back and of a pull request; an item id redirects to its experiment", async () => {
    const loser = seeded.decided["pricing-loser"];
    const pr = seeded.decided["checkout-copy"];
    if (!loser?.verdict || !pr?.ship?.pullRequestUrl) throw new Error("missing seeded verdicts");
    const early = await openPage("/experiments/pricing-loser");
    expect(early.page.url()).toBe(`${server.url}/experiments/${encodeURIComponent(loser.id)}`);
    await early.page.waitForSelector("html[data-charts-ready='2']");
    expect(loser.verdict.decision).toBe("rollback");
    expect(await early.page.locator("#verdict h2").textContent()).toBe(
      loser.verdict.early ? "Verdict: Rolled back early" : "Verdict: Roll back",
    );
    expect((await chartPoints(early.page)).dailyLift).toEqual(
      Array(3).fill(loser.checks.length + 1),
    );
    await early.page.screenshot({
      path: join(SHOTS, "experiment-rolled-back.png"),
      fullPage: true,
    });
    expect(early.errors).toEqual([]);
    await early.page.context().close();

    const shipped = await openPage(`/experiments/${pr.id}`);
    await shipped.page.waitForSelector("html[data-charts-ready='2']");
    // The sandbox's pull requests live at sandbox:// URLs: named, but only http(s) becomes a link.
    expect(pr.ship.pullRequestUrl).toMatch(/^sandbox:/);
    expect(await shipped.page.locator("#verdict").textContent()).toContain(
      `pull request acme/webapp#${pr.ship.pullRequestNumber}`,
    );
    expect(await shipped.page.locator("#verdict a").count()).toBe(0);
    await shipped.page.context().close();
  });

  it("the hostile item's page shows its title and hypothesis as text", async () => {
    const hostile = seeded.decided.hostile;
    if (!hostile) throw new Error("the hostile item did not run");
    const { page, errors } = await openPage(`/experiments/${hostile.id}`);
    await page.waitForSelector("html[data-charts-ready='2']");
    expect(await page.locator("h1").textContent()).toBe(hostile.item.title);
    // Shown as text, minus the terminal escape characters.
    expect(await page.locator(".hypothesis").textContent()).toBe(
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the page drops them
      hostile.item.hypothesis.replace(/\u001b/g, ""),
    );
    expect(
      await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned),
    ).toBeUndefined();
    expect(await page.locator("img").count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, "experiment-hostile.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("the queue dashboard renders, read-only", async () => {
    const { page } = await openPage("/queues");
    await page.waitForSelector("text=cycle", { timeout: 10_000 });
    await page.waitForSelector("text=/completed/i", { timeout: 10_000 });
    await page.screenshot({ path: join(SHOTS, "queues.png"), fullPage: true });
    const retry = await page.request.put(`${server.url}/queues/api/queues/cycle/retry/failed`);
    expect(retry.status()).toBe(405);
    await page.context().close();
  });

  it("asks for the token on every page but /healthz (bearer or basic)", async () => {
    const request = (await browser.newContext()).request;
    for (const path of [
      "/",
      `/experiments/${seeded.decided.winner?.id}`,
      "/metrics",
      "/queues",
      "/assets/charts.js",
    ]) {
      const denied = await request.get(`${server.url}${path}`);
      expect(denied.status(), path).toBe(401);
      expect(denied.headers()["www-authenticate"]).toContain("Basic");
      const wrong = await request.get(`${server.url}${path}`, {
        headers: { authorization: "Bearer nope" },
      });
      expect(wrong.status(), path).toBe(401);
    }
    const basic = await request.get(`${server.url}/`, {
      headers: { authorization: `Basic ${Buffer.from(`lead:${TOKEN}`).toString("base64")}` },
    });
    expect(basic.status()).toBe(200);
    const bearer = await request.get(`${server.url}/metrics`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(bearer.status()).toBe(200);
    const health = await request.get(`${server.url}/healthz`);
    expect(health.status()).toBe(200);
    expect(await health.json()).toMatchObject({
      ok: true,
      redis: { ok: true },
      worker: { alive: true },
    });
  });
});
