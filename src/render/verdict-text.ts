import type { ExperimentRecord, VerdictRecord } from "../domain/experiment.js";
import { verdictFacts } from "./verdict-facts.js";
import { plainText as t } from "./verdict-format.js";

/** A verdict in full for the terminal (`shiploop verdict <id>`): aligned, no markup. */
export function renderVerdictText(experiment: ExperimentRecord, verdict: VerdictRecord): string {
  const f = verdictFacts(experiment, verdict);
  const metrics = [f.primary, ...f.guardrails];
  const nameWidth = Math.max(6, ...metrics.map((m) => t(m.name).length));
  const label = (name: string) => name.padEnd(12);
  const lines = [
    `${t(f.experimentId)}`,
    `${label("decision")}${f.outcomeLabel.toUpperCase()}`,
    `${label("applied")}${t(f.applied)}`,
    `${label("item")}${t(f.title)} (${t(f.itemId)}, ${t(f.stage)}, surface ${t(f.surface)})`,
    `${label("hypothesis")}${t(f.hypothesis)}`,
    `${label("change")}${f.change.map((c) => t(c.url ? `${c.text} ${c.url}` : c.text)).join(", ") || "–"}`,
    `${label("window")}${f.windowStart} → ${f.windowEnd} (${f.method})`,
    `${label("users")}${f.variants.map((v) => `${t(v.name)} ${v.users} (${v.share})`).join(", ")}; total ${f.totalUsers}`,
    `${label("srm")}${f.srm}`,
    "",
    `  ${"metric".padEnd(nameWidth)}  ${"role".padEnd(9)}  ${"lift".padStart(8)}  ${"95 % CI".padEnd(21)}  ${"evidence".padEnd(19)}  result`,
    ...metrics.map(
      (m) =>
        `  ${t(m.name).padEnd(nameWidth)}  ${m.role.padEnd(9)}  ${m.lift.padStart(8)}  ${m.interval.padEnd(21)}  ${m.evidence.padEnd(19)}  ${m.result}` +
        `${m.maxDrop ? ` (max drop ${m.maxDrop})` : ""}${m.rates ? `  [${m.rates}]` : ""}`,
    ),
    "",
    `${label("rule")}${t(f.rule)}`,
    ...f.reasons.map((r) => `${" ".repeat(12)}- ${t(r)}`),
    `${label("decided")}${f.decidedAt}`,
  ];
  return `${lines.join("\n")}\n`;
}
