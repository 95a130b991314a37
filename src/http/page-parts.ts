import type { ExperimentStatus, VerdictRecord } from "../domain/experiment.js";
import { OUTCOME_LABEL, outcomeOf } from "../render/verdict-facts.js";
import { badge, type Html } from "./html.js";

export function experimentHref(id: string): string {
  return `/experiments/${encodeURIComponent(id)}`;
}

export function outcomeBadge(verdict: Pick<VerdictRecord, "decision" | "early">): Html {
  const outcome = outcomeOf(verdict);
  const tone = outcome === "ship" ? "good" : outcome === "inconclusive" ? "neutral" : "bad";
  return badge(OUTCOME_LABEL[outcome], tone);
}

export function statusBadge(status: ExperimentStatus): Html {
  const tone =
    // "decided" is only final; the outcome badge beside it says which way.
    status === "decided"
      ? "neutral"
      : status === "rolled-back" || status === "blocked" || status === "abandoned"
        ? "bad"
        : "info";
  return badge(status, tone);
}
