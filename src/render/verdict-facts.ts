import type {
  ExperimentRecord,
  MetricResult,
  ShippedChange,
  VerdictRecord,
} from "../domain/experiment.js";
import type { Decision } from "../domain/verdict-observation.js";
import {
  formatCount,
  formatInstant,
  formatInterval,
  formatLift,
  formatPValue,
  formatRate,
} from "./verdict-format.js";

/** The four outcomes a growth lead reads, in their words. */
export type Outcome = Decision | "rolled-back-early";

export const OUTCOME_LABEL: Record<Outcome, string> = {
  ship: "Ship",
  rollback: "Roll back",
  inconclusive: "Inconclusive",
  "rolled-back-early": "Rolled back early",
};

export function outcomeOf(verdict: Pick<VerdictRecord, "decision" | "early">): Outcome {
  return verdict.early ? "rolled-back-early" : verdict.decision;
}

/**
 * A metric result with the per-variant means, when the record carries them (the stats engine
 * computes `baselineMean` and `mean`; older records may lack them).
 */
type MetricWithMeans = MetricResult & { baselineMean?: number; mean?: number };

export interface MetricFacts {
  name: string;
  role: "primary" | "guardrail";
  lift: string;
  interval: string;
  /** `p = 0.012`, or `chance to win 93 %` for a Bayesian read. */
  evidence: string;
  /** What the rule made of it: `significant win`, `held`, `breached`, … */
  result: string;
  /** `18.00 % → 19.35 %` when the record has both variants' rates. */
  rates?: string;
  /** Guardrails: the largest drop the item allows. */
  maxDrop?: string;
  bad: boolean;
}

export interface ChangeLink {
  text: string;
  url?: string;
}

/** Everything a verdict says, already formatted; each renderer only lays it out and escapes it. */
export interface VerdictFacts {
  experimentId: string;
  week: string;
  itemId: string;
  title: string;
  hypothesis: string;
  stage: string;
  surface: string;
  outcome: Outcome;
  outcomeLabel: string;
  change: ChangeLink[];
  windowStart: string;
  windowEnd: string;
  method: string;
  variants: { name: string; users: string; share: string }[];
  totalUsers: string;
  srm: string;
  srmMismatch: boolean;
  primary: MetricFacts;
  guardrails: MetricFacts[];
  rule: string;
  reasons: string[];
  applied: string;
  decidedAt: string;
}

export function verdictFacts(experiment: ExperimentRecord, verdict: VerdictRecord): VerdictFacts {
  const outcome = outcomeOf(verdict);
  const total = verdict.variants.reduce((sum, v) => sum + v.users, 0);
  return {
    experimentId: experiment.id,
    week: experiment.week,
    itemId: experiment.itemId,
    title: experiment.item.title,
    hypothesis: experiment.item.hypothesis,
    stage: experiment.item.stage,
    surface: experiment.item.surface,
    outcome,
    outcomeLabel: OUTCOME_LABEL[outcome],
    change: changeLinks(experiment.ship, experiment.item.ship),
    windowStart: formatInstant(experiment.measuringSince),
    // An early roll-back ends the window when it happens, not when it was due.
    windowEnd: formatInstant(verdict.early ? verdict.decidedAt : experiment.verdictDueAt),
    method:
      verdict.method === "sequential" ? "sequential (always-valid intervals)" : "fixed horizon",
    variants: verdict.variants.map((v) => ({
      name: v.name,
      users: formatCount(v.users),
      share: total > 0 ? `${((v.users / total) * 100).toFixed(1)} %` : "–",
    })),
    totalUsers: formatCount(total),
    srm: `sample ratio ${formatPValue(verdict.srm.pValue)}${verdict.srm.mismatch ? ", mismatch" : ", no mismatch"}`,
    srmMismatch: verdict.srm.mismatch,
    primary: metricFacts(verdict.primary, "primary"),
    guardrails: verdict.guardrails.map((g) => metricFacts(g, "guardrail")),
    rule: verdict.rule,
    reasons: verdict.reasons,
    applied: verdict.applied,
    decidedAt: formatInstant(verdict.decidedAt),
  };
}

function metricFacts(m: MetricWithMeans, role: MetricFacts["role"]): MetricFacts {
  const evidence =
    m.pValue !== null
      ? formatPValue(m.pValue)
      : m.chanceToWin !== null
        ? `chance to win ${(m.chanceToWin * 100).toFixed(0)} %`
        : "–";
  const result =
    role === "guardrail"
      ? m.breached
        ? "breached"
        : "held"
      : m.significant
        ? m.relativeLift > 0
          ? "significant gain"
          : "significant loss"
        : "not significant";
  return {
    name: m.name,
    role,
    lift: formatLift(m.relativeLift),
    interval: formatInterval(m.ci),
    evidence,
    result,
    ...(m.baselineMean !== undefined && m.mean !== undefined
      ? { rates: `${formatRate(m.baselineMean)} → ${formatRate(m.mean)}` }
      : {}),
    ...(m.maxRelativeDrop !== undefined
      ? { maxDrop: `${(m.maxRelativeDrop * 100).toFixed(1)} %` }
      : {}),
    bad: role === "guardrail" ? m.breached === true : m.significant && m.relativeLift < 0,
  };
}

function changeLinks(
  shipped: ShippedChange | undefined,
  planned: ExperimentRecord["item"]["ship"],
): ChangeLink[] {
  const links: ChangeLink[] = [];
  if (shipped?.pullRequestUrl) {
    const label =
      shipped.repo && shipped.pullRequestNumber
        ? `pull request ${shipped.repo}#${shipped.pullRequestNumber}`
        : "pull request";
    links.push({
      text: label,
      ...(isWebUrl(shipped.pullRequestUrl) ? { url: shipped.pullRequestUrl } : {}),
    });
  }
  const gate = shipped?.gate ?? ("gate" in planned ? planned.gate : undefined);
  if (gate) links.push({ text: `gate ${gate}` });
  const experiment =
    shipped?.experiment ?? ("experiment" in planned ? planned.experiment : undefined);
  if (experiment) links.push({ text: `experiment ${experiment}` });
  return links;
}

/** Only http(s) links become links; anything else (javascript:, data:) stays text. */
export function isWebUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:";
  } catch {
    return false;
  }
}
