import type { ExperimentRecord, WeekRecord } from "../domain/experiment.js";
import { isoWeekOf } from "../domain/iso-week.js";
import { escapeMarkdown as md } from "./verdict-escape.js";
import { OUTCOME_LABEL, outcomeOf } from "./verdict-facts.js";
import { formatInstant, formatInterval, formatLift } from "./verdict-format.js";
import { renderVerdictMarkdown } from "./verdict-markdown.js";
import { verdictTimeline } from "./verdict-timeline.js";

export interface DigestInput {
  week: string;
  /** Time zone that week numbers are read in (SHIPLOOP_TZ). */
  tz: string;
  /** Every experiment the ledger knows (any week, any status). */
  experiments: readonly ExperimentRecord[];
  /** The week's record, when the week was kicked. */
  weekRecord?: WeekRecord;
}

/**
 * A weekly summary a growth lead can paste anywhere: what the week started, every verdict
 * reached during the week (in full), what was blocked, and the lift shipped so far.
 */
export function renderDigest(input: DigestInput): string {
  const { week, tz, experiments, weekRecord } = input;
  const started = weekRecord?.experimentId
    ? experiments.find((e) => e.id === weekRecord.experimentId)
    : experiments.find((e) => e.week === week && e.status !== "blocked");
  const decided = experiments
    .filter((e) => e.verdict && isoWeekOf(new Date(e.verdict.decidedAt), tz) === week)
    .sort((a, b) => (a.verdict?.decidedAt ?? "").localeCompare(b.verdict?.decidedAt ?? ""));
  const blocked = experiments.filter((e) => e.week === week && e.status === "blocked");
  const timeline = verdictTimeline(
    experiments.filter((e) => e.verdict && isoWeekOf(new Date(e.verdict.decidedAt), tz) <= week),
  );
  const cumulative = timeline.at(-1)?.cumulative ?? 0;

  const lines = [`# shiploop digest — ${week}`, ""];
  lines.push(`**Started this week:** ${startedLine(started, weekRecord)}`);
  lines.push(`**Verdicts this week:** ${decided.length === 0 ? "none" : countByOutcome(decided)}`);
  lines.push(
    `**Shipped so far:** ${timeline.filter((p) => p.outcome === "ship").length} change(s), ` +
      `cumulative measured lift ${formatLift(cumulative)} (primary metrics, compounded)`,
  );
  if (decided.length > 0) {
    lines.push(
      "",
      "| experiment | decision | lift | 95 % CI | applied |",
      "|---|---|--:|---|---|",
      ...decided.map((e) => {
        const v = e.verdict as NonNullable<ExperimentRecord["verdict"]>;
        return `| ${md(e.item.title)} (${md(e.id)}) | ${OUTCOME_LABEL[outcomeOf(v)]} | ${formatLift(v.primary.relativeLift)} | ${formatInterval(v.primary.ci)} | ${md(v.applied)} |`;
      }),
    );
  }
  if (blocked.length > 0) {
    lines.push("", "**Blocked this week** (fix the item and it becomes eligible again):");
    for (const e of blocked) {
      lines.push(`- ${md(e.itemId)}: ${md(e.blockedReason ?? "no reason recorded")}`);
    }
  }
  for (const e of decided) {
    lines.push(
      "",
      renderVerdictMarkdown(e, e.verdict as NonNullable<ExperimentRecord["verdict"]>, {
        headingLevel: 2,
      }).trimEnd(),
    );
  }
  return `${lines.join("\n")}\n`;
}

function startedLine(started: ExperimentRecord | undefined, week: WeekRecord | undefined): string {
  if (started?.verdict) {
    const v = started.verdict;
    return `${md(started.item.title)} (${md(started.id)}), decided: ${OUTCOME_LABEL[outcomeOf(v)]}, lift ${formatLift(v.primary.relativeLift)}`;
  }
  if (started) {
    const due = started.verdictDueAt ? `, verdict due ${formatInstant(started.verdictDueAt)}` : "";
    return `${md(started.item.title)} (${md(started.id)}), ${started.status}${due}`;
  }
  if (week?.idleReason) return `nothing — ${md(week.idleReason)}`;
  if (week) return "nothing yet";
  return "nothing — the week was not kicked off";
}

function countByOutcome(decided: readonly ExperimentRecord[]): string {
  const counts = new Map<string, number>();
  for (const e of decided) {
    if (!e.verdict) continue;
    const label = OUTCOME_LABEL[outcomeOf(e.verdict)].toLowerCase();
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return `${decided.length} — ${[...counts].map(([label, n]) => `${n} ${label}`).join(", ")}`;
}
