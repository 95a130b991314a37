import { normal, type Random } from "../adapters/sandbox/seeded-random.js";
import { type BacklogItem, BacklogItemSchema } from "../domain/backlog-item.js";
import { FUNNEL_STAGES, type FunnelStage } from "../domain/funnel-stage.js";

/** A true lift at or above this (relative, among reached users) counts as a winner. */
export const WIN_THRESHOLD = 0.01;

/** Surfaces per stage: where a change lands, and the unit of "at most one live experiment". */
const SURFACES: Record<FunnelStage, readonly string[]> = {
  ttv: ["home-dashboard", "workspace-setup", "templates"],
  activation: ["onboarding", "project-created-modal", "empty-states"],
  pql: ["reports", "usage-limit", "integrations"],
  monetization: ["pricing-page", "checkout", "plan-assignment"],
  retention: ["billing-emails", "billing-settings", "in-app-messages"],
};

const TAGS = [
  "friction",
  "social-proof",
  "copy",
  "defaults",
  "nudge",
  "paywall",
  "personalization",
  "email",
  "trust",
  "gamification",
] as const;

const PRIMARY: Record<FunnelStage, string> = {
  ttv: "reached-value",
  activation: "activated",
  pql: "qualified",
  monetization: "paid",
  retention: "retained",
};

/**
 * How big a stage's winners run: the leakiest stages (activation decays; time to value is far
 * over its benchmark) have the most headroom, net retention is hard to move.
 */
const WINNER_SCALE: Record<FunnelStage, number> = {
  ttv: 1.2,
  activation: 1.4,
  pql: 1,
  monetization: 0.9,
  retention: 0.6,
};

export interface SyntheticBacklogOptions {
  /** Share of ideas that hurt their metric. */
  negativeShare: number;
  /** Winner probability of the average surface; each surface draws its own around it. */
  meanWinRate: number;
}

export const DEFAULT_SYNTHETIC_OPTIONS: SyntheticBacklogOptions = {
  negativeShare: 0.2,
  meanWinRate: 0.2,
};

/** The hidden character of a surface: how often its ideas work, how much its authors oversell. */
interface SurfaceTruth {
  stage: FunnelStage;
  surface: string;
  winRate: number;
  optimism: number;
}

/**
 * A backlog of `count` ideas whose true effects look like published experiment results: most
 * near zero, some negative, a heavy tail of winners (about `meanWinRate` of them, more on some
 * surfaces than others). Each author's estimate is a noisy, over-optimistic version of the
 * truth: null ideas are pitched at a few percent, winners above their true size, and how much
 * authors oversell differs by surface — which is what learning from verdicts can discover.
 */
export function syntheticBacklog(
  random: Random,
  count: number,
  options: SyntheticBacklogOptions = DEFAULT_SYNTHETIC_OPTIONS,
): BacklogItem[] {
  const surfaces: SurfaceTruth[] = FUNNEL_STAGES.flatMap((stage) =>
    SURFACES[stage].map((surface) => ({
      stage,
      surface,
      // Skewed: a few fertile surfaces, many barren ones; mean ≈ meanWinRate.
      winRate: Math.min(0.9, options.meanWinRate * 3 * random() ** 2 + 0.02),
      optimism: 1 + 1.5 * random(),
    })),
  );
  const items: BacklogItem[] = [];
  for (let i = 0; i < count; i++) {
    const truth = surfaces[Math.floor(random() * surfaces.length)] as SurfaceTruth;
    items.push(syntheticItem(random, i + 1, truth, options));
  }
  return items;
}

function syntheticItem(
  random: Random,
  n: number,
  surface: SurfaceTruth,
  options: SyntheticBacklogOptions,
): BacklogItem {
  const { stage } = surface;
  const trueLift = drawTrueLift(random, surface, options);
  // The author sees the truth through noise and pitches it high.
  const pitched = surface.optimism * (0.6 * trueLift + 0.025) * Math.exp(0.5 * normal(random));
  const relativeLift = round(Math.min(1, Math.max(0.005, pitched)), 3);
  const confidence = round(0.3 + 0.5 * random(), 2);
  const effort = round(Math.min(10, Math.max(0.5, 2 * Math.exp(0.6 * normal(random)))) * 2, 0) / 2;
  const reach = random() < 0.4 ? 1 : round(0.1 + 0.8 * random(), 2);
  const tagCount = 1 + Math.floor(random() * 2);
  const tags = [...new Set(Array.from({ length: tagCount }, () => pick(random, TAGS)))];
  const id = `idea-${String(n).padStart(3, "0")}-${surface.surface}`;
  return BacklogItemSchema.parse({
    id,
    title: `${surface.surface} idea ${n} (${tags.join(", ")})`,
    hypothesis: `A ${tags[0]} change on ${surface.surface} raises ${PRIMARY[stage]}.`,
    stage,
    surface: surface.surface,
    tags,
    impact: { relativeLift, confidence },
    effort,
    reach,
    primaryMetric: { name: PRIMARY[stage], event: PRIMARY[stage], type: "proportion" },
    guardrails: [
      {
        name: stage === "monetization" ? "retained" : "paid",
        event: "guardrail",
        type: "proportion",
        maxRelativeDrop: 0.1,
      },
    ],
    ship: { kind: "gate", gate: id.replaceAll("-", "_") },
    split: 50,
    sandbox: { trueRelativeLift: round(trueLift, 5) },
  });
}

/** Winner (heavy-tailed, median ≈ 5 %), loser, or null (within ±1 %). */
function drawTrueLift(
  random: Random,
  surface: SurfaceTruth,
  options: SyntheticBacklogOptions,
): number {
  const u = random();
  if (u < surface.winRate) {
    return WIN_THRESHOLD + WINNER_SCALE[surface.stage] * 0.035 * Math.exp(0.7 * normal(random));
  }
  if (u < surface.winRate + options.negativeShare) {
    return -(WIN_THRESHOLD + 0.02 * Math.exp(0.6 * normal(random)));
  }
  return Math.max(-0.0099, Math.min(0.0099, 0.004 * normal(random)));
}

function pick<T>(random: Random, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)] as T;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
