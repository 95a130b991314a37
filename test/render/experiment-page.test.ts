import { describe, expect, it } from "vitest";
import { renderExperimentPage } from "../../src/http/experiment-page.js";
import { renderHomePage } from "../../src/http/home-page.js";
import type { HomeView } from "../../src/http/load-home.js";
import {
  fixedExperiment,
  fixedVerdict,
  HOSTILE_HYPOTHESIS,
  HOSTILE_TITLE,
} from "./verdict-fixtures.js";

const hostile = () =>
  fixedExperiment({ item: { title: HOSTILE_TITLE, hypothesis: HOSTILE_HYPOTHESIS } });

/** The page's text with its tags removed: what a reader sees. */
const visibleText = (page: string) =>
  page
    .replace(/<script[\s\S]*?<\/script>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ");

describe("the experiment page", () => {
  it("says the decision, the primary lift with its interval, the guardrails and the SRM check", () => {
    const page = renderExperimentPage(fixedExperiment());
    const text = visibleText(page);
    expect(text).toContain("Cut onboarding from five steps to three");
    expect(page).toContain('<span class="badge good">Ship</span>');
    expect(text).toContain("+7.5 %");
    expect(text).toContain("+2.0 % … +13.0 %");
    expect(text).toContain("paid");
    expect(text).toContain("gate onboarding_three_steps to 100 %");
    expect(text).toMatch(/0\.57/);
  });

  it("escapes a hostile title and hypothesis: no tag, handler or script of theirs survives", () => {
    const page = renderExperimentPage(hostile());
    expect(page).not.toContain("<img");
    expect(page).not.toContain("<script>window.__pwned");
    expect(page).not.toContain('onerror="');
    expect(page).toContain("&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;");
  });

  it("without a verdict, says when it is due", () => {
    const page = renderExperimentPage(fixedExperiment({ verdict: null }));
    expect(page).toContain("No verdict yet");
    expect(page).not.toContain("Verdict overdue");
  });

  it("says the verdict is overdue, why (escaped) and when it is tried again", () => {
    const page = renderExperimentPage({
      ...fixedExperiment({ verdict: null }),
      verdictDelayed: {
        reason: "gave up after 8 attempts: PostHog answered 503 <html>",
        at: "2026-12-08T09:04:00.000Z",
        retryAt: "2026-12-08T10:04:00.000Z",
        rounds: 1,
      },
    });
    expect(page).toMatch(
      /Verdict overdue: gave up after 8 attempts: PostHog answered 503 &lt;html&gt;\./,
    );
    expect(page).toContain("2026-12-08 10:04");
  });
});

describe("the home page", () => {
  function view(overrides: Partial<HomeView> = {}): HomeView {
    return {
      week: "2026-W50",
      live: [],
      ranking: { items: [], invalidFiles: 0, weights: "from the events file" },
      timeline: [],
      recent: [],
      ...overrides,
    };
  }

  it("shows this week's experiment with its lift, and escapes a hostile title", () => {
    const current = hostile();
    const page = renderHomePage(view({ current, recent: [current] }));
    expect(visibleText(page)).toContain("This week: 2026-W50");
    expect(visibleText(page)).toContain("+7.5 %");
    expect(page).not.toContain("<img");
    expect(page).not.toContain('onerror="');
  });

  it("shows an overdue verdict of this week's experiment", () => {
    const current = {
      ...fixedExperiment({ verdict: null }),
      verdictDelayed: {
        reason: "gave up after 8 attempts: Statsig answered 502",
        at: "2026-12-08T09:04:00.000Z",
        retryAt: "2026-12-08T10:04:00.000Z",
        rounds: 2,
      },
    };
    const text = visibleText(renderHomePage(view({ current, live: [current] })));
    expect(text).toContain("verdict overdue");
    expect(text).toContain("gave up after 8 attempts: Statsig answered 502");
  });

  it("badges this week's outcome the way the verdict decided", () => {
    const decided = fixedExperiment({ verdict: fixedVerdict({ decision: "rollback" }) });
    const page = renderHomePage(view({ current: decided }));
    expect(page).toContain('<span class="badge bad">Roll back</span>');
    expect(page).not.toContain(">Ship</span>");
  });
});
