import type { ExperimentRecord, VerdictRecord } from "../domain/experiment.js";
import { type MetricFacts, verdictFacts } from "../render/verdict-facts.js";
import {
  formatCount,
  formatInstant,
  formatInterval,
  formatLift,
  formatPValue,
} from "../render/verdict-format.js";
import { type Html, html, jsonScript, layout } from "./html.js";
import { outcomeBadge, statusBadge } from "./page-parts.js";

/**
 * `/experiments/:id`: the verdict page. The daily cumulative lift with its interval band (one
 * point per daily check, then the verdict), the metrics with their intervals, users per
 * variant against the designed split, the sample-ratio check, and the status history.
 */
export function renderExperimentPage(e: ExperimentRecord): string {
  const v = e.verdict;
  const points = [
    ...e.checks
      .slice()
      .sort((a, b) => a.day - b.day)
      .map((c) => ({ label: `day ${c.day}`, lift: c.relativeLift, ci: c.ci })),
    ...(v ? [{ label: "verdict", lift: v.primary.relativeLift, ci: v.primary.ci }] : []),
  ];
  const metrics = v ? [v.primary, ...v.guardrails] : [];
  const charts = {
    dailyLift: {
      metric: e.item.primaryMetric.name,
      labels: points.map((p) => p.label),
      lift: points.map((p) => p.lift),
      lower: points.map((p) => p.ci[0]),
      upper: points.map((p) => p.ci[1]),
      final: v ? (v.early ? "rolled-back-early" : v.decision) : null,
    },
    intervals: {
      labels: metrics.map((m, i) => (i === 0 ? `${m.name} (primary)` : `${m.name} (guardrail)`)),
      ci: metrics.map((m) => m.ci),
      lift: metrics.map((m) => m.relativeLift),
      bad: metrics.map((m, i) =>
        i === 0 ? m.significant && m.relativeLift < 0 : m.breached === true,
      ),
    },
  };
  const body = html`
<p class="sub"><a href="/">← this week</a> · ${e.id}</p>
<div class="headline"><h1>${e.item.title}</h1> ${statusBadge(e.status)} ${v ? outcomeBadge(v) : ""}</div>
<p class="hypothesis">${e.item.hypothesis}</p>
${v ? verdictSummary(e, v) : pending(e)}
<section class="card">
  <h2>Cumulative lift of ${e.item.primaryMetric.name}, day by day</h2>
  ${
    points.length > 0
      ? html`<div class="chart"><canvas id="daily-lift-chart" data-chart="dailyLift" data-kind="dailyLift" role="img"
        aria-label="Cumulative relative lift with its 95 % interval per day"></canvas></div>`
      : html`<p class="empty">No daily check yet.</p>`
  }
  <p class="why">Daily checks use sequential (always-valid) intervals, safe to look at every day; the verdict uses the pre-registered ${v?.method === "sequential" ? "sequential" : "fixed-horizon"} analysis.</p>
</section>
${v ? metricsSection(e, v) : ""}
${v ? variantsSection(e, v) : ""}
${checksSection(e)}
${historySection(e)}
${jsonScript("chart-data", charts)}
`;
  return layout({ title: e.item.title, body, charts: points.length > 0 || metrics.length > 0 });
}

function verdictSummary(e: ExperimentRecord, v: VerdictRecord): Html {
  const f = verdictFacts(e, v);
  return html`<section class="card" id="verdict">
  <h2>Verdict: ${f.outcomeLabel}</h2>
  <dl class="grid">
    ${fact("primary lift", html`<strong>${f.primary.lift}</strong> (${f.primary.interval}), ${f.primary.evidence}`)}
    ${fact("applied", f.applied)}
    ${fact("change", html`${f.change.map((c, i) => html`${i > 0 ? " · " : ""}${c.url ? html`<a href="${c.url}" rel="noopener noreferrer">${c.text}</a>` : c.text}`)}`)}
    ${fact("window", `${f.windowStart} → ${f.windowEnd}`)}
    ${fact("method", f.method)}
    ${fact("users", `${f.totalUsers} (${f.variants.map((x) => `${x.name} ${x.users}`).join(", ")})`)}
    ${fact("sample ratio", f.srm)}
    ${fact("item", `${e.itemId} · ${f.stage} · surface ${f.surface} · week ${e.week}`)}
  </dl>
  <p><strong>Rule:</strong> ${f.rule}</p>
  <ul class="reasons">${f.reasons.map((r) => html`<li>${r}</li>`)}</ul>
  <p class="why">decided ${f.decidedAt}</p>
</section>`;
}

function pending(e: ExperimentRecord): Html {
  return html`<section class="card" id="verdict"><h2>No verdict yet</h2>
  <p>${e.status === "blocked" ? `Blocked: ${e.blockedReason ?? "no reason recorded"}` : `Status ${e.status}; verdict due ${formatInstant(e.verdictDueAt)}.`}</p>
  ${e.verdictDelayed ? html`<p class="overdue">Verdict overdue: ${e.verdictDelayed.reason}. Next try ${formatInstant(e.verdictDelayed.retryAt)}.</p>` : ""}</section>`;
}

function metricsSection(e: ExperimentRecord, v: VerdictRecord): Html {
  const f = verdictFacts(e, v);
  const rows = [f.primary, ...f.guardrails];
  const withRates = rows.some((m) => m.rates !== undefined);
  return html`<section class="card" id="metrics">
  <h2>Metrics</h2>
  <div class="chart short"><canvas id="intervals-chart" data-chart="intervals" data-kind="intervals" role="img"
    aria-label="95 % interval of each metric's relative lift"></canvas></div>
  <table><thead><tr><th>metric</th><th>role</th><th class="num">lift</th><th>95 % CI</th>${withRates ? html`<th>control → treatment</th>` : ""}<th>evidence</th><th>result</th></tr></thead>
  <tbody>${rows.map((m) => metricRow(m, withRates))}</tbody></table>
</section>`;
}

function metricRow(m: MetricFacts, withRates: boolean): Html {
  return html`<tr><td>${m.name}</td><td>${m.role}${m.maxDrop ? ` (max drop ${m.maxDrop})` : ""}</td><td class="num">${m.lift}</td><td class="nowrap">${m.interval}</td>
  ${withRates ? html`<td>${m.rates ?? "–"}</td>` : ""}<td>${m.evidence}</td><td>${m.bad ? html`<strong>${m.result}</strong>` : m.result}</td></tr>`;
}

function variantsSection(e: ExperimentRecord, v: VerdictRecord): Html {
  const total = v.variants.reduce((sum, x) => sum + x.users, 0);
  return html`<section class="card" id="variants">
  <h2>Users per variant and sample ratio</h2>
  <table><thead><tr><th>variant</th><th class="num">users</th><th class="num">observed share</th><th class="num">designed share</th></tr></thead>
  <tbody>${v.variants.map((x) => {
    const designed = designedShare(e, x.name);
    return html`<tr><td>${x.name}</td><td class="num">${formatCount(x.users)}</td>
      <td class="num">${total > 0 ? `${((x.users / total) * 100).toFixed(2)} %` : "–"}</td>
      <td class="num">${designed === undefined ? "–" : `${(designed * 100).toFixed(2)} %`}</td></tr>`;
  })}</tbody></table>
  <p>Sample-ratio check: ${formatPValue(v.srm.pValue)} — ${v.srm.mismatch ? html`<strong>mismatch: the split is not what was designed; the result cannot be trusted</strong>` : "no mismatch"}.</p>
</section>`;
}

/** The share of users each variant was designed to get: the split, or the experiment's group sizes. */
function designedShare(e: ExperimentRecord, variant: string): number | undefined {
  const ship = e.item.ship;
  if (ship.kind === "experiment") {
    const group = ship.groups.find((g) => g.name === variant);
    return group ? group.size / 100 : undefined;
  }
  if (variant === "control") return 1 - e.item.split / 100;
  if (variant === "treatment") return e.item.split / 100;
  return undefined;
}

function checksSection(e: ExperimentRecord): Html {
  if (e.checks.length === 0) return html``;
  return html`<section class="card" id="checks">
  <h2>Daily checks</h2>
  <table><thead><tr><th class="num">day</th><th>at</th><th class="num">users</th><th class="num">lift</th><th>95 % CI (sequential)</th><th>sample ratio</th><th>action</th></tr></thead>
  <tbody>${e.checks
    .slice()
    .sort((a, b) => a.day - b.day)
    .map(
      (c) =>
        html`<tr><td class="num">${String(c.day)}</td><td>${formatInstant(c.at)}</td><td class="num">${formatCount(c.users)}</td>
        <td class="num">${formatLift(c.relativeLift)}</td><td class="nowrap">${formatInterval(c.ci)}</td><td>${formatPValue(c.srmPValue)}</td><td>${c.action}</td></tr>`,
    )}</tbody></table>
</section>`;
}

function historySection(e: ExperimentRecord): Html {
  return html`<section class="card" id="history">
  <h2>History</h2>
  <table><tbody>${e.history.map(
    (h) =>
      html`<tr><td class="nowrap">${formatInstant(h.at)}</td><td>${statusBadge(h.status)}</td><td class="why">${h.note ?? ""}</td></tr>`,
  )}</tbody></table>
</section>`;
}

function fact(term: string, value: string | Html): Html {
  return html`<div class="fact"><dt>${term}</dt><dd>${value}</dd></div>`;
}
