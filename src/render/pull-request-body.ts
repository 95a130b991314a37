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
 * The pull request an engineer reviews: what changes and why, why this item was picked this
 * week (the score and its factors), how it is guarded and measured, when the verdict is due,
 * and how to roll back. Built only from the backlog item and the ledger record, so no setting
 * (and no secret) can reach it.
 */
export function pullRequestBody(experiment: ExperimentRecord, windowMs: number): string {
  const item = experiment.item;
  const ship = item.ship;
  const gate = ship.kind === "experiment" ? ship.experiment : ship.gate;
  const window = formatDuration(windowMs);
  const lines = [
    itemMarker(item.id),
    `## ${item.title}`,
    "",
    `**Hypothesis.** ${item.hypothesis}`,
    "",
    `**Expected.** ${signedPercent(item.impact.relativeLift)} on \`${item.primaryMetric.name}\` ` +
      `(author's confidence ${percent(item.impact.confidence, 0)}), effort ${item.effort} engineer-day(s).`,
    "",
    `### Why this week (${experiment.week})`,
    ...whyLines(experiment),
    "",
    "### What changes",
    ...changeLines(item),
    "",
    "### How it is measured",
    `- Guarded by the gate \`${gate}\`: the new code runs only where the gate passes. ` +
      `After merge shiploop opens it to ${item.split} % of users (${100 - item.split} % stay on the current behaviour as control).`,
    `- Primary metric: \`${item.primaryMetric.name}\` (event \`${item.primaryMetric.event}\`, ${item.primaryMetric.type}` +
      `${item.primaryMetric.higherIsBetter ? "" : ", lower is better"}).`,
    ...guardrailLines(item),
    `- Daily checks for sample-ratio mismatch and guardrail breaches; either rolls the gate back early.`,
    "",
    "### When the verdict is due",
    `${window} after this pull request is merged (the measurement starts at the merge). ` +
      "The verdict (ship, roll back or inconclusive, with lift, interval and guardrails) is posted here as a comment. " +
      "Closing this pull request without merging abandons the experiment.",
    "",
    "### Rolling back",
    `Set the gate \`${gate}\` to 0 %: everyone gets the current behaviour at once, no deploy needed ` +
      "(shiploop does this itself on a roll-back verdict or a failed daily check). " +
      "The code stays dark behind the gate until it is removed or this change is reverted.",
    "",
    `<sub>Opened by shiploop for backlog item \`experiments/${item.id}.yaml\` (experiment \`${experiment.id}\`).</sub>`,
  ];
  return lines.join("\n");
}

function whyLines(experiment: ExperimentRecord): string[] {
  const lines: string[] = [];
  if (experiment.score !== undefined) {
    lines.push(
      `- Highest expected value among the eligible items: score ${experiment.score.toFixed(4)} ` +
        "(calibrated lift × stage weight × reach ÷ calibrated effort).",
    );
  }
  const why = experiment.pickedBecause?.split("; ").filter((part) => part.trim().length > 0) ?? [];
  if (why.length === 0 && lines.length === 0) return ["- Top of the ranked backlog."];
  return lines.concat(why.map((part) => `- ${part}`));
}

function changeLines(item: BacklogItem): string[] {
  if (item.ship.kind !== "pull-request") return [];
  return item.ship.changes.map((change) =>
    "content" in change
      ? `- \`${change.path}\`: whole file written (${change.content.split("\n").length} lines).`
      : `- \`${change.path}\`: replaces ${code(change.replace.find)} with ${code(change.replace.with)}.`,
  );
}

function guardrailLines(item: BacklogItem): string[] {
  return item.guardrails.map(
    (g) =>
      `- Guardrail: \`${g.name}\` (event \`${g.event}\`) must not drop more than ${percent(g.maxRelativeDrop, 0)}.`,
  );
}

/** Inline code for one line, a short fenced excerpt marker for several. */
function code(text: string): string {
  const oneLine = text.replace(/\s*\n\s*/g, " ⏎ ");
  const shown = oneLine.length > 100 ? `${oneLine.slice(0, 97)}…` : oneLine;
  const fence = shown.includes("`") ? "``" : "`";
  return `${fence}${fence === "``" ? " " : ""}${shown}${fence === "``" ? " " : ""}${fence}`;
}

function signedPercent(fraction: number): string {
  return `${fraction >= 0 ? "+" : ""}${percent(fraction)}`;
}

function percent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)} %`;
}
