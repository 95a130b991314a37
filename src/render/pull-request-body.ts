import type { BacklogItem } from "../domain/backlog-item.js";
import { formatDuration } from "../domain/duration.js";
import type { ExperimentRecord } from "../domain/experiment.js";

/** Hidden marker by which shiploop recognises its own pull request for an item. */
export function itemMarker(itemId: string): string {
  return `<!-- shiploop:item=${itemId} -->`;
}

export function branchFor(itemId: string): string {
  return `shiploop/${itemId}`;
}

/**
 * The pull request an engineer reviews: what changes and why, how it is guarded and measured,
 * when the verdict is due, and how to roll back. Built only from the backlog item and the
 * ledger record, so no setting (and no secret) can reach it.
 */
export function pullRequestBody(experiment: ExperimentRecord, windowMs: number): string {
  const item = experiment.item;
  const ship = item.ship;
  const gate = ship.kind === "experiment" ? ship.experiment : ship.gate;
  const lines = [
    itemMarker(item.id),
    `## ${item.title}`,
    "",
    `**Hypothesis.** ${item.hypothesis}`,
    "",
    `**Expected.** ${percent(item.impact.relativeLift)} on \`${item.primaryMetric.name}\` ` +
      `(author's confidence ${percent(item.impact.confidence, 0)}), effort ${item.effort} engineer-day(s).`,
    "",
    `**Why this week.** ${experiment.pickedBecause ?? "top of the ranked backlog"}`,
    "",
    "### How it is measured",
    `- Guarded by the gate \`${gate}\`; after merge it opens to ${item.split} % of users.`,
    `- Primary metric: \`${item.primaryMetric.name}\` (event \`${item.primaryMetric.event}\`, ${item.primaryMetric.type}).`,
    ...guardrailLines(item),
    `- Measured for ${formatDuration(windowMs)} after merge, with daily sample-ratio and guardrail checks; ` +
      "the verdict is posted here as a comment.",
    "",
    "### Rolling back",
    `Set the gate \`${gate}\` to 0 % (shiploop does this itself on a roll-back verdict); ` +
      "the code stays dark behind the gate until it is removed.",
  ];
  return lines.join("\n");
}

function guardrailLines(item: BacklogItem): string[] {
  return item.guardrails.map(
    (g) => `- Guardrail: \`${g.name}\` must not drop more than ${percent(g.maxRelativeDrop, 0)}.`,
  );
}

function percent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)} %`;
}
