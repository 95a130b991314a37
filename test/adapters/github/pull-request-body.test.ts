import { describe, expect, it } from "vitest";
import { pullRequestBody } from "../../../src/render/pull-request-body.js";
import { experimentFor } from "./harness.js";

describe("pullRequestBody", () => {
  it("tells the reviewer what, why this week, how it is guarded and measured, when the verdict comes and how to roll back", () => {
    const body = pullRequestBody(experimentFor("three-steps"), 7 * 86_400_000);
    expect(body.split("\n")[0]).toBe("<!-- shiploop:item=three-steps -->");
    for (const part of [
      "**Hypothesis.** Fewer required steps before the first project raises activation.",
      "**Expected.** +10.0 % on `activated` (author's confidence 50 %), effort 2 engineer-day(s).",
      "### Why this week (2026-W49)",
      "score 0.0421",
      "- activation rate is 12 pts under benchmark (28 % vs 40 %), weight 2.10",
      "- no past verdicts for activation/onboarding: author's estimate used as is",
      "- `src/onboarding/steps.ts`: replaces `const STEPS = 5` with `const STEPS = 3`.",
      "- `src/onboarding/flag.ts`: whole file written",
      "Guarded by the gate `three_steps_gate`",
      "After merge shiploop opens it to 50 % of users (50 % stay on the current behaviour as control).",
      "Primary metric: `activated` (event `activated`, proportion).",
      "Guardrail: `paid` (event `subscription_started`) must not drop more than 20 %.",
      "### When the verdict is due",
      "after this pull request is merged",
      "Set the gate `three_steps_gate` to 0 %",
    ]) {
      expect(body).toContain(part);
    }
  });

  it("falls back to a plain reason when the record carries no score", () => {
    const { pickedBecause: _p, score: _s, ...bare } = experimentFor("three-steps");
    expect(pullRequestBody(bare, 86_400_000)).toContain("- Top of the ranked backlog.");
  });
});
