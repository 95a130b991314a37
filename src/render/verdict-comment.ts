import type { ExperimentRecord, MetricResult, VerdictRecord } from "../domain/experiment.js";

const HEADLINE: Record<VerdictRecord["decision"], string> = {
  ship: "Ship it",
  rollback: "Rolled back",
  inconclusive: "Inconclusive",
};

/** A short markdown summary of a verdict, for the pull request. */
export function verdictComment(experiment: ExperimentRecord, verdict: VerdictRecord): string {
  const lines = [
    `### shiploop verdict: ${HEADLINE[verdict.decision]}${verdict.early ? " (early)" : ""}`,
    "",
    `**${experiment.item.title}** — ${metricLine(verdict.primary)}`,
    "",
    ...verdict.guardrails.map(
      (g) => `- guardrail ${metricLine(g)}${g.breached ? " — **breached**" : ""}`,
    ),
    `- users: ${verdict.variants.map((v) => `${v.name} ${v.users}`).join(", ")}; ` +
      `sample ratio p = ${verdict.srm.pValue.toPrecision(3)}${verdict.srm.mismatch ? " — **mismatch**" : ""}`,
    "",
    `Why: ${verdict.reasons.join("; ")}`,
    "",
    `Applied: ${verdict.applied}.`,
  ];
  return lines.join("\n");
}

function metricLine(m: MetricResult): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const p = m.pValue === null ? "" : `, p = ${m.pValue.toPrecision(2)}`;
  return `\`${m.name}\` ${m.relativeLift >= 0 ? "+" : ""}${pct(m.relativeLift)} (95 % CI ${pct(m.ci[0])} … ${pct(m.ci[1])}${p})`;
}
