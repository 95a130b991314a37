import { describe, expect, it } from "vitest";
import { renderDigest } from "../../src/render/digest.js";
import { verdictComment } from "../../src/render/verdict-comment.js";
import { escapeHtml, escapeMarkdown } from "../../src/render/verdict-escape.js";
import { renderVerdictMarkdown } from "../../src/render/verdict-markdown.js";
import { renderVerdictText } from "../../src/render/verdict-text.js";
import { verdictTimeline } from "../../src/render/verdict-timeline.js";
import {
  fixedExperiment,
  fixedVerdict,
  HOSTILE_HYPOTHESIS,
  HOSTILE_TITLE,
} from "./verdict-fixtures.js";

describe("the markdown verdict", () => {
  it("says everything a decision needs, in one comment", () => {
    const experiment = fixedExperiment();
    const text = verdictComment(experiment, fixedVerdict());
    expect(text).toBe(`### shiploop verdict: Ship — Cut onboarding from five steps to three

> Fewer required steps before the first project raises activation.

**Decision:** Ship. **Applied:** gate onboarding\\_three\\_steps to 100 %.

**Change:** [pull request acme/webapp\\#12](https://github.com/acme/webapp/pull/12) · gate onboarding\\_three\\_steps · stage activation · surface onboarding
**Measured:** 2026-12-01 09:00 UTC → 2026-12-08 09:00 UTC, fixed horizon

| metric | role | lift | 95 % CI | evidence | result |
|---|---|--:|---|---|---|
| activated | primary | +7.5 % | +2.0 % … +13.0 % | p = 0.0080 | significant gain |
| paid | guardrail (max drop 5.0 %) | −0.4 % | −4.3 % … +3.5 % | p = 0.84 | held |

**Users:** control 10,000 (49.8 %) · treatment 10,080 (50.2 %) — sample ratio p = 0.57, no mismatch

**Rule:** primary significantly better, no guardrail breached, no sample-ratio mismatch
- activated +7.5 % \\(95 % CI +2.0 % … +13.0 %\\), p = 0.008

<sub>2026-W49--onboarding-three-steps · decided 2026-12-08 09:00 UTC · \`shiploop verdict 2026-W49--onboarding-three-steps\`</sub>
`);
  });

  it("names an early roll-back, a breached guardrail and a sample-ratio mismatch", () => {
    const verdict = fixedVerdict({
      decision: "rollback",
      early: true,
      method: "sequential",
      srm: { pValue: 0.0001, mismatch: true },
      guardrails: [
        {
          ...fixedVerdict().guardrails[0],
          name: "paid",
          relativeLift: -0.12,
          ci: [-0.2, -0.04],
          pValue: 0.003,
          significant: true,
          breached: true,
        } as ReturnType<typeof fixedVerdict>["primary"],
      ],
      applied: "gate onboarding_three_steps to 0 %",
    });
    const text = renderVerdictMarkdown(fixedExperiment({ verdict }), verdict);
    expect(text).toContain("### shiploop verdict: Rolled back early");
    expect(text).toContain(
      "| paid | guardrail (max drop 5.0 %) | −12.0 % | −20.0 % … −4.0 % | p = 0.0030 | **breached** |",
    );
    expect(text).toContain("sample ratio p < 0.001, mismatch ⚠️");
    expect(text).toContain("sequential (always-valid intervals)");
  });

  it("shows per-variant rates when the record carries them, and chance to win for a Bayesian read", () => {
    const verdict = fixedVerdict({
      primary: {
        ...fixedVerdict().primary,
        pValue: null,
        chanceToWin: 0.934,
        ...{ baselineMean: 0.18, mean: 0.1935 },
      },
    });
    const text = renderVerdictMarkdown(fixedExperiment({ verdict }), verdict);
    expect(text).toContain("| control → treatment |");
    expect(text).toContain("18.00 % → 19.35 %");
    expect(text).toContain("chance to win 93 %");
  });

  it("escapes hostile titles and hypotheses: no HTML, links, mentions, headings or table cells", () => {
    const experiment = fixedExperiment({
      item: { title: HOSTILE_TITLE, hypothesis: HOSTILE_HYPOTHESIS },
    });
    const text = renderVerdictMarkdown(experiment, fixedVerdict());
    expect(text).not.toMatch(/<img|<script|<\/script/i);
    expect(text).not.toContain("[click](javascript");
    expect(text).not.toMatch(/(^|[^;])@octocat/);
    expect(text).not.toMatch(/^# heading/m);
    expect(text).not.toMatch(/^- list/m);
    expect(text).toContain('&lt;img src=x onerror="window.\\_\\_pwned=1"&gt;');
    expect(text).toContain("\\*\\*bold\\*\\* \\[click\\]\\(javascript");
    expect(text).toContain("\\| cell &#64;octocat \\#12 \\`tick\\`");
    // The hypothesis stays inside its one quoted line.
    const quote = text.split("\n").find((line) => line.startsWith("> "));
    expect(quote).toContain("&lt;/script&gt;&lt;script&gt;");
    expect(quote).toContain("\\# heading - list &amp;");
  });

  it("never links a pull request URL that is not http(s)", () => {
    const experiment = fixedExperiment();
    const hostile = {
      ...experiment,
      ship: {
        ...experiment.ship,
        kind: "pull-request" as const,
        pullRequestUrl: "javascript:alert(1)",
      },
    };
    const text = renderVerdictMarkdown(hostile, fixedVerdict());
    expect(text).not.toContain("javascript:");
    expect(text).toContain("**Change:** pull request acme/webapp\\#12 ·");
  });
});

describe("escaping", () => {
  it("escapes markdown and HTML", () => {
    expect(escapeMarkdown("a_b *c* <d> @e\nf|g")).toBe("a\\_b \\*c\\* &lt;d&gt; &#64;e f\\|g");
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe(
      "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
    );
  });
});

describe("the terminal verdict", () => {
  it("lays the verdict out without markup and strips terminal escapes from user text", () => {
    const experiment = fixedExperiment({ item: { hypothesis: HOSTILE_HYPOTHESIS } });
    const text = renderVerdictText(experiment, fixedVerdict());
    expect(text).toContain("decision    SHIP");
    expect(text).toContain("applied     gate onboarding_three_steps to 100 %");
    expect(text).toContain(
      "  activated  primary      +7.5 %  +2.0 % … +13.0 %       p = 0.0080           significant gain",
    );
    expect(text).toContain(
      "users       control 10,000 (49.8 %), treatment 10,080 (50.2 %); total 20,080",
    );
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting they are gone
    expect(text).not.toMatch(/\u001b/);
    expect(text.split("\n").filter((l) => l.startsWith("hypothesis"))).toHaveLength(1);
  });
});

describe("the timeline and the digest", () => {
  const shipped = fixedExperiment({
    week: "2026-W48",
    verdict: fixedVerdict({ decidedAt: "2026-12-01T09:00:00.000Z" }),
  });
  const flat = fixedExperiment({
    week: "2026-W49",
    item: { id: "pricing-annual-toggle", title: "Annual toggle", surface: "pricing" },
    verdict: fixedVerdict({
      decision: "inconclusive",
      primary: {
        ...fixedVerdict().primary,
        relativeLift: 0.01,
        ci: [-0.03, 0.05],
        pValue: 0.6,
        significant: false,
      },
      decidedAt: "2026-12-08T09:00:00.000Z",
    }),
  });
  const secondShip = fixedExperiment({
    week: "2026-W50",
    item: { id: "seat-nudge", title: "Seat nudge", surface: "billing" },
    verdict: fixedVerdict({
      primary: { ...fixedVerdict().primary, relativeLift: 0.1 },
      decidedAt: "2026-12-15T09:00:00.000Z",
    }),
  });

  it("compounds only what shipped into the cumulative lift, oldest first", () => {
    const points = verdictTimeline([secondShip, flat, shipped]);
    expect(points.map((p) => p.itemId)).toEqual([
      "onboarding-three-steps",
      "pricing-annual-toggle",
      "seat-nudge",
    ]);
    expect(points.map((p) => p.cumulative)).toEqual([
      expect.closeTo(0.075, 12),
      expect.closeTo(0.075, 12),
      expect.closeTo(1.075 * 1.1 - 1, 12),
    ]);
  });

  it("summarises a week: what started, the verdicts reached, the lift shipped so far", () => {
    const blocked = {
      ...fixedExperiment({
        week: "2026-W50",
        item: { id: "broken-patch", surface: "x", title: "Broken" },
        verdict: null,
      }),
      status: "blocked" as const,
      blockedReason: "src/app.ts: `const A = 1` not found",
    };
    const text = renderDigest({
      week: "2026-W50",
      tz: "UTC",
      experiments: [shipped, flat, secondShip, blocked],
      weekRecord: {
        week: "2026-W50",
        kickedAt: "2026-12-07T09:00:00Z",
        experimentId: secondShip.id,
        blocked: ["broken-patch"],
      },
    });
    expect(text).toContain("# shiploop digest — 2026-W50");
    expect(text).toContain(
      "**Started this week:** Seat nudge (2026-W50--seat-nudge), decided: Ship, lift +10.0 %",
    );
    // Decided during W50 (Dec 8 and Dec 15 fall in W50 and W51): only the W49 experiment's verdict.
    expect(text).toContain("**Verdicts this week:** 1 — 1 inconclusive");
    expect(text).toContain("**Shipped so far:** 1 change(s), cumulative measured lift +7.5 %");
    expect(text).toContain(
      "| Annual toggle (2026-W49--pricing-annual-toggle) | Inconclusive | +1.0 % | −3.0 % … +5.0 % |",
    );
    expect(text).toContain("- broken-patch: src/app.ts: \\`const A = 1\\` not found");
    expect(text).toContain("## shiploop verdict: Inconclusive — Annual toggle");
  });

  it("says so when nothing happened", () => {
    expect(
      renderDigest({ week: "2026-W01", tz: "UTC", experiments: [] }),
    ).toBe(`# shiploop digest — 2026-W01

**Started this week:** nothing — the week was not kicked off
**Verdicts this week:** none
**Shipped so far:** 0 change(s), cumulative measured lift 0.0 % (primary metrics, compounded)
`);
  });
});
