import type { ExperimentRecord } from "../domain/experiment.js";

import { formatInstant, formatInterval, formatLift } from "../render/verdict-format.js";
import { badge, type Html, html, jsonScript, layout } from "./html.js";
import type { HomeView } from "./load-home.js";
import { experimentHref, outcomeBadge, statusBadge } from "./page-parts.js";

/** `/`: this week's experiment, the backlog ranking and the timeline of past weeks. */
export function renderHomePage(view: HomeView): string {
  const points = view.timeline;
  const charts = {
    timeline: {
      labels: points.map((p) => `${p.week} · ${p.itemId}`),
      lift: points.map((p) => p.lift),
      cumulative: points.map((p) => p.cumulative),
      outcomes: points.map((p) => p.outcome),
      titles: points.map((p) => p.title),
    },
  };
  const cumulative = points.at(-1)?.cumulative ?? 0;
  const body = html`
<h1>This week: ${view.week}</h1>
<p class="sub">last kickoff ${formatInstant(view.lastKickoff)} · next kickoff ${formatInstant(view.nextKickoff)}</p>
${thisWeek(view)}
${view.live.length > 0 ? html`<section class="card"><h2>Also running</h2>${experimentList(view.live)}</section>` : ""}
<section class="card">
  <h2>Past weeks</h2>
  <p class="sub">${points.length} verdict(s) · ${points.filter((p) => p.outcome === "ship").length} shipped · cumulative measured lift of shipped changes
    <strong>${formatLift(cumulative)}</strong> (primary metrics, compounded)</p>
  ${
    points.length > 0
      ? html`<div class="chart"><canvas id="timeline-chart" data-chart="timeline" data-kind="timeline" role="img"
        aria-label="Measured lift per week and cumulative lift of shipped changes"></canvas></div>
      ${recentTable(view.recent)}`
      : html`<p class="empty">No verdicts yet: the first one comes at the end of the first measurement window.</p>`
  }
</section>
${rankingSection(view)}
${jsonScript("chart-data", charts)}
`;
  return layout({ title: `Week ${view.week}`, body, charts: points.length > 0 });
}

function thisWeek(view: HomeView): Html {
  const e = view.current;
  if (!e) {
    const why = view.weekRecord?.idleReason
      ? html`Nothing ships this week: ${view.weekRecord.idleReason}.`
      : view.weekRecord
        ? html`The week was kicked off; nothing started yet.`
        : html`The week has not been kicked off yet (next kickoff ${formatInstant(view.nextKickoff)}).`;
    return html`<section class="card" id="this-week"><h2>This week's experiment</h2><p class="empty">${why}</p>${blockedLine(view)}</section>`;
  }
  const v = e.verdict;
  return html`<section class="card" id="this-week">
  <h2>This week's experiment</h2>
  <div class="headline"><a class="big" href="${experimentHref(e.id)}">${e.item.title}</a> ${statusBadge(e.status)} ${v ? outcomeBadge(v) : ""}</div>
  <p class="hypothesis">${e.item.hypothesis}</p>
  <dl class="grid">
    ${fact("item", `${e.itemId} (${e.item.stage}, surface ${e.item.surface})`)}
    ${fact("ship", e.item.ship.kind)}
    ${fact("measuring since", formatInstant(e.measuringSince))}
    ${fact("verdict due", formatInstant(e.verdictDueAt))}
    ${e.verdictDelayed ? fact("verdict overdue", `${e.verdictDelayed.reason} (next try ${formatInstant(e.verdictDelayed.retryAt)})`) : ""}
    ${fact("daily checks", String(e.checks.length))}
    ${v ? fact("primary lift", `${formatLift(v.primary.relativeLift)} (${formatInterval(v.primary.ci)})`) : ""}
  </dl>
  ${e.pickedBecause ? html`<p class="why">picked because: ${e.pickedBecause}</p>` : ""}
  ${blockedLine(view)}
</section>`;
}

function blockedLine(view: HomeView): Html | string {
  const blocked = view.weekRecord?.blocked ?? [];
  return blocked.length > 0
    ? html`<p class="why">blocked this week: ${blocked.join(", ")}</p>`
    : "";
}

function fact(term: string, value: string): Html {
  return html`<div class="fact"><dt>${term}</dt><dd>${value}</dd></div>`;
}

function experimentList(experiments: readonly ExperimentRecord[]): Html {
  return html`<table><thead><tr><th>experiment</th><th>status</th><th>verdict due</th></tr></thead><tbody>
  ${experiments.map(
    (e) =>
      html`<tr><td><a href="${experimentHref(e.id)}">${e.item.title}</a><div class="why">${e.id}</div></td><td>${statusBadge(e.status)}</td><td>${formatInstant(e.verdictDueAt)}</td></tr>`,
  )}</tbody></table>`;
}

function recentTable(recent: readonly ExperimentRecord[]): Html {
  return html`<table id="verdicts"><thead><tr><th>week</th><th>change</th><th>decision</th><th class="num">lift</th><th>95 % CI</th><th>applied</th></tr></thead><tbody>
  ${recent.map((e) => {
    const v = e.verdict;
    if (!v) return "";
    return html`<tr><td class="nowrap">${e.week}</td><td><a href="${experimentHref(e.id)}">${e.item.title}</a></td><td>${outcomeBadge(v)}</td>
      <td class="num">${formatLift(v.primary.relativeLift)}</td><td class="nowrap">${formatInterval(v.primary.ci)}</td><td>${v.applied}</td></tr>`;
  })}</tbody></table>`;
}

function rankingSection(view: HomeView): Html {
  const ranking = view.ranking;
  if ("error" in ranking) {
    return html`<section class="card" id="backlog"><h2>Backlog ranking</h2><p class="empty">The backlog could not be read: ${ranking.error}</p></section>`;
  }
  const rows = ranking.items.map((s) => {
    const f = s.factors;
    return html`<tr class="${s.eligible ? "" : "ineligible"}">
      <td class="num">${s.rank === null ? "–" : String(s.rank)}</td>
      <td><strong>${s.item.title}</strong><div class="why">${s.id} · ${s.why}</div></td>
      <td>${s.stage}</td>
      <td class="num">${formatLift(f.relativeLift)}</td>
      <td class="num">${f.confidence.toFixed(2)}</td>
      <td class="num">×${f.liftCalibration.toFixed(2)}</td>
      <td class="num">${f.stageWeight.toFixed(2)}</td>
      <td class="num">${f.calibratedEffort.toFixed(1)}</td>
      <td class="num">${s.expectedValue.toFixed(4)}</td>
      <td>${s.eligible ? badge("eligible", "good") : badge(s.ineligible ?? "not eligible", "neutral")}</td>
    </tr>`;
  });
  return html`<section class="card" id="backlog">
  <h2>Backlog ranking</h2>
  <p class="sub">${ranking.weights}${ranking.invalidFiles > 0 ? ` · ${ranking.invalidFiles} invalid file(s) left out (shiploop validate)` : ""}</p>
  <table><thead><tr><th class="num">#</th><th>item</th><th>stage</th><th class="num">lift</th><th class="num">conf</th><th class="num">calib</th>
  <th class="num">weight</th><th class="num">days</th><th class="num">EV</th><th></th></tr></thead>
  <tbody>${rows}</tbody></table>
</section>`;
}
