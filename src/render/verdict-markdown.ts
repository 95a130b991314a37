import type { ExperimentRecord, VerdictRecord } from "../domain/experiment.js";
import { escapeMarkdown as md } from "./verdict-escape.js";
import { type MetricFacts, type VerdictFacts, verdictFacts } from "./verdict-facts.js";

export interface MarkdownOptions {
  /** Level of the verdict's heading (3 for a comment; 2 inside the digest). */
  headingLevel?: number;
}

/**
 * A verdict in full as GitHub-flavoured markdown: what changed and why, how it was measured,
 * every metric with its interval and evidence, users per variant and the sample-ratio check,
 * the rule that decided and what was applied. Used for the pull-request comment and the digest.
 */
export function renderVerdictMarkdown(
  experiment: ExperimentRecord,
  verdict: VerdictRecord,
  options: MarkdownOptions = {},
): string {
  const f = verdictFacts(experiment, verdict);
  const hashes = "#".repeat(Math.min(6, Math.max(1, options.headingLevel ?? 3)));
  const metrics = [f.primary, ...f.guardrails];
  const withRates = metrics.some((m) => m.rates !== undefined);
  const lines = [
    `${hashes} shiploop verdict: ${f.outcomeLabel} — ${md(f.title)}`,
    "",
    `> ${md(f.hypothesis)}`,
    "",
    `**Decision:** ${f.outcomeLabel}. **Applied:** ${md(f.applied)}.`,
    "",
    `**Change:** ${changeText(f)} · stage ${md(f.stage)} · surface ${md(f.surface)}`,
    `**Measured:** ${f.windowStart} → ${f.windowEnd}, ${f.method}`,
    "",
    withRates
      ? "| metric | role | lift | 95 % CI | control → treatment | evidence | result |"
      : "| metric | role | lift | 95 % CI | evidence | result |",
    withRates ? "|---|---|--:|---|---|---|---|" : "|---|---|--:|---|---|---|",
    ...metrics.map((m) => metricRow(m, withRates)),
    "",
    `**Users:** ${f.variants.map((v) => `${md(v.name)} ${v.users} (${v.share})`).join(" · ")} — ` +
      `${f.srm}${f.srmMismatch ? " ⚠️" : ""}`,
    "",
    `**Rule:** ${md(f.rule)}`,
    ...f.reasons.map((r) => `- ${md(r)}`),
    "",
    `<sub>${md(f.experimentId)} · decided ${f.decidedAt} · \`shiploop verdict ${md(f.experimentId)}\`</sub>`,
  ];
  return `${lines.join("\n")}\n`;
}

function changeText(f: VerdictFacts): string {
  if (f.change.length === 0) return "–";
  return f.change
    .map((c) => (c.url ? `[${md(c.text)}](${encodeUrl(c.url)})` : md(c.text)))
    .join(" · ");
}

function metricRow(m: MetricFacts, withRates: boolean): string {
  const role = m.role === "guardrail" && m.maxDrop ? `guardrail (max drop ${m.maxDrop})` : m.role;
  const result = m.bad ? `**${m.result}**` : m.result;
  const cells = [
    md(m.name),
    role,
    m.lift,
    m.interval,
    ...(withRates ? [m.rates ?? "–"] : []),
    m.evidence,
    result,
  ];
  return `| ${cells.join(" | ")} |`;
}

/** A link target that cannot close the markdown link early. */
function encodeUrl(url: string): string {
  return encodeURI(decodeURIComponentSafe(url)).replace(/[()]/g, (c) =>
    c === "(" ? "%28" : "%29",
  );
}

function decodeURIComponentSafe(url: string): string {
  try {
    return decodeURI(url);
  } catch {
    return url;
  }
}
