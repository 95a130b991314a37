import { describe, expect, it } from "vitest";
import { renderExperimentPage } from "../../src/http/experiment-page.js";
import { fixedExperiment } from "./verdict-fixtures.js";

describe("the experiment page of an experiment without a verdict", () => {
  it("says when the verdict is due", () => {
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
