import { stringify } from "yaml";

/** A minimal, valid backlog item of each ship kind, as plain data; tests mutate copies. */
export function validItem(id = "onboarding-three-steps"): Record<string, unknown> {
  return {
    id,
    title: "Cut onboarding from five steps to three",
    hypothesis: "Fewer required steps before the first project raises activation.",
    stage: "activation",
    surface: "onboarding",
    tags: ["onboarding", "friction"],
    impact: { relativeLift: 0.08, confidence: 0.6 },
    effort: 2,
    primaryMetric: { name: "activated", event: "activated", type: "proportion" },
    guardrails: [
      { name: "paid", event: "subscription_started", type: "proportion", maxRelativeDrop: 0.05 },
    ],
    ship: {
      kind: "pull-request",
      repo: "acme/webapp",
      base: "main",
      gate: "onboarding_three_steps",
      changes: [
        {
          path: "src/onboarding/steps.ts",
          replace: { find: "const STEPS = 5", with: "const STEPS = 3" },
        },
      ],
    },
    split: 50,
    window: "7d",
    sandbox: { trueRelativeLift: 0.05 },
  };
}

export function gateItem(id: string): Record<string, unknown> {
  return { ...validItem(id), ship: { kind: "gate", gate: `${id.replaceAll("-", "_")}` } };
}

export function experimentItem(id: string, sizes = [50, 50]): Record<string, unknown> {
  return {
    ...validItem(id),
    ship: {
      kind: "experiment",
      experiment: id.replaceAll("-", "_"),
      groups: sizes.map((size, i) => ({ name: i === 0 ? "control" : `treatment_${i}`, size })),
    },
  };
}

export function toYaml(data: unknown): string {
  return stringify(data);
}
