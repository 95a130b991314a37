/** Builds valid backlog items for scoring tests. Not a test file: vitest only runs *.test.ts. */
import { type BacklogItem, BacklogItemSchema } from "../../src/domain/backlog-item.js";
import type { FunnelStage } from "../../src/domain/funnel-stage.js";
import type { VerdictObservation } from "../../src/domain/verdict-observation.js";

export function item(p: {
  id: string;
  stage?: FunnelStage;
  surface?: string;
  tags?: string[];
  lift?: number;
  confidence?: number;
  effort?: number;
  reach?: number;
}): BacklogItem {
  return BacklogItemSchema.parse({
    id: p.id,
    title: `Title of ${p.id}`,
    hypothesis: "It helps.",
    stage: p.stage ?? "activation",
    surface: p.surface ?? "onboarding",
    tags: p.tags ?? [],
    impact: { relativeLift: p.lift ?? 0.1, confidence: p.confidence ?? 0.5 },
    effort: p.effort ?? 2,
    ...(p.reach === undefined ? {} : { reach: p.reach }),
    primaryMetric: { name: "activated", event: "activated", type: "proportion" },
    ship: { kind: "gate", gate: p.id.replaceAll("-", "_") },
  });
}

export function observation(
  p: Partial<VerdictObservation> & { estimatedLift: number; observedLift: number },
): VerdictObservation {
  return {
    itemId: "some-item",
    stage: "activation",
    surface: "onboarding",
    tags: [],
    confidence: 1,
    observedSe: 0.01,
    decision: "inconclusive",
    effort: 2,
    decidedAt: "2026-01-12T09:00:00.000Z",
    ...p,
  };
}
