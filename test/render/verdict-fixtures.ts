import { BacklogItemSchema } from "../../src/domain/backlog-item.js";
import type { ExperimentRecord, VerdictRecord } from "../../src/domain/experiment.js";

/** A title and hypothesis written to break out of every format we render into. */
export const HOSTILE_TITLE =
  '<img src=x onerror="window.__pwned=1"> **bold** [click](javascript:alert(1)) | cell @octocat #12 `tick`';
export const HOSTILE_HYPOTHESIS =
  "</script><script>window.__pwned=2</script>\n# heading\n- list & \u001b[31mred\u001b[0m";

export function fixedItem(overrides: Record<string, unknown> = {}) {
  return BacklogItemSchema.parse({
    id: "onboarding-three-steps",
    title: "Cut onboarding from five steps to three",
    hypothesis: "Fewer required steps before the first project raises activation.",
    stage: "activation",
    surface: "onboarding",
    impact: { relativeLift: 0.08, confidence: 0.6 },
    effort: 2,
    primaryMetric: { name: "activated", event: "project_created", type: "proportion" },
    guardrails: [
      { name: "paid", event: "subscription_started", type: "proportion", maxRelativeDrop: 0.05 },
    ],
    ship: {
      kind: "pull-request",
      repo: "acme/webapp",
      gate: "onboarding_three_steps",
      changes: [{ path: "src/steps.ts", replace: { find: "5", with: "3" } }],
    },
    ...overrides,
  });
}

export function fixedVerdict(overrides: Partial<VerdictRecord> = {}): VerdictRecord {
  return {
    decision: "ship",
    early: false,
    rule: "primary significantly better, no guardrail breached, no sample-ratio mismatch",
    reasons: ["activated +7.5 % (95 % CI +2.0 % … +13.0 %), p = 0.008"],
    method: "fixed",
    variants: [
      { name: "control", users: 10000 },
      { name: "treatment", users: 10080 },
    ],
    srm: { pValue: 0.57, mismatch: false },
    primary: {
      name: "activated",
      relativeLift: 0.075,
      se: 0.028,
      ci: [0.02, 0.13],
      pValue: 0.008,
      chanceToWin: null,
      significant: true,
    },
    guardrails: [
      {
        name: "paid",
        relativeLift: -0.004,
        se: 0.02,
        ci: [-0.043, 0.035],
        pValue: 0.84,
        chanceToWin: null,
        significant: false,
        breached: false,
        maxRelativeDrop: 0.05,
      },
    ],
    applied: "gate onboarding_three_steps to 100 %",
    decidedAt: "2026-12-08T09:00:00.000Z",
    ...overrides,
  };
}

export function fixedExperiment(
  options: { item?: Record<string, unknown>; verdict?: VerdictRecord | null; week?: string } = {},
): ExperimentRecord {
  const item = fixedItem(options.item);
  const week = options.week ?? "2026-W49";
  const verdict = options.verdict === null ? undefined : (options.verdict ?? fixedVerdict());
  return {
    id: `${week}--${item.id}`,
    week,
    itemId: item.id,
    item,
    status: verdict ? (verdict.early ? "rolled-back" : "decided") : "measuring",
    history: [
      { status: "planned", at: "2026-11-30T09:00:00.000Z" },
      { status: "measuring", at: "2026-12-01T09:00:00.000Z" },
      ...(verdict
        ? [
            {
              status: verdict.early ? ("rolled-back" as const) : ("decided" as const),
              at: verdict.decidedAt,
            },
          ]
        : []),
    ],
    writes: {},
    ship: {
      kind: "pull-request",
      repo: "acme/webapp",
      pullRequestUrl: "https://github.com/acme/webapp/pull/12",
      pullRequestNumber: 12,
      branch: "shiploop/onboarding-three-steps",
      gate: "onboarding_three_steps",
    },
    measuringSince: "2026-12-01T09:00:00.000Z",
    verdictDueAt: "2026-12-08T09:00:00.000Z",
    checks: [1, 2, 3].map((day) => ({
      day,
      at: `2026-12-0${1 + day}T09:00:00.000Z`,
      users: day * 2800,
      relativeLift: 0.05 + day * 0.01,
      ci: [-0.2 / day, 0.3 / day] as [number, number],
      srmPValue: 0.5,
      action: "continue" as const,
    })),
    ...(verdict ? { verdict } : {}),
    version: 3,
  };
}
