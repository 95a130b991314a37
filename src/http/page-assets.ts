import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** Chart.js's UMD build, served from node_modules so the pages need nothing from the internet. */
export function chartJsSource(): Buffer {
  const main = createRequire(import.meta.url).resolve("chart.js");
  return readFileSync(join(dirname(main), "chart.umd.min.js"));
}

export const STYLE = `
:root { --ink:#1d2430; --muted:#5d6778; --line:#e3e7ee; --bg:#f6f8fb; --card:#fff;
  --good:#137a3d; --good-bg:#e3f5ea; --bad:#b42318; --bad-bg:#fde8e6; --info:#1f5fbf; --info-bg:#e6effc;
  --neutral:#5d6778; --neutral-bg:#eef0f4; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; color:var(--ink); background:var(--bg); }
header.top { display:flex; align-items:center; gap:24px; padding:12px 28px; background:#17202e; }
header.top a { color:#d9e1ee; text-decoration:none; }
header.top .brand { font-weight:700; color:#fff; font-size:17px; }
header.top nav { display:flex; gap:18px; }
main { max-width:1120px; margin:0 auto; padding:24px 28px 48px; }
h1 { font-size:26px; margin:6px 0 4px; }
h2 { font-size:18px; margin:0 0 12px; }
.sub { color:var(--muted); margin:0 0 16px; }
section.card { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:18px 20px; margin:0 0 18px; }
.grid { display:grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap:12px 24px; }
.fact dt { color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:.04em; }
.fact dd { margin:2px 0 0; }
dl { margin:0; }
table { width:100%; border-collapse:collapse; font-variant-numeric: tabular-nums; }
th, td { text-align:left; padding:7px 10px; border-bottom:1px solid var(--line); vertical-align:top; }
th { color:var(--muted); font-weight:600; font-size:13px; }
td.num, th.num { text-align:right; white-space:nowrap; }
td.nowrap { white-space:nowrap; }
tr.ineligible td { color:var(--muted); }
.why { color:var(--muted); font-size:13px; }
.overdue { color:var(--bad); font-weight:600; }
.badge { display:inline-block; padding:1px 9px; border-radius:999px; font-size:13px; font-weight:600; }
.badge.good { color:var(--good); background:var(--good-bg); }
.badge.bad { color:var(--bad); background:var(--bad-bg); }
.badge.info { color:var(--info); background:var(--info-bg); }
.badge.neutral { color:var(--neutral); background:var(--neutral-bg); }
.chart { position:relative; height:320px; }
.chart.short { height:170px; margin-bottom:12px; }
.empty { color:var(--muted); font-style:italic; }
.hypothesis { font-size:16px; border-left:3px solid var(--line); padding-left:12px; color:#2d3748; }
.headline { display:flex; align-items:center; gap:12px; flex-wrap:wrap; }
.big { font-size:28px; font-weight:700; }
ul.reasons { margin:6px 0 0; padding-left:20px; }
a { color:var(--info); }
`;

/**
 * The pages' only script: reads the chart data block and draws each `canvas[data-chart]` with
 * Chart.js. Charts are kept on `window.shiploopCharts` by name (tests read their points there).
 */
export const CHARTS_SCRIPT = `
(function () {
  "use strict";
  var block = document.getElementById("chart-data");
  if (!block || typeof Chart === "undefined") return;
  var data = JSON.parse(block.textContent || "{}");
  var pct = function (v) { return (v > 0 ? "+" : "") + (v * 100).toFixed(1) + " %"; };
  var colors = { ship: "#137a3d", rollback: "#b42318", "rolled-back-early": "#d9480f", inconclusive: "#8a94a6" };
  Chart.defaults.animation = false;
  Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  Chart.defaults.maintainAspectRatio = false;
  var zeroGrid = { color: function (c) { return c.tick && c.tick.value === 0 ? "#5d6778" : "#e3e7ee"; } };
  var percentAxis = function (title) {
    return { grid: zeroGrid, title: { display: true, text: title }, ticks: { callback: function (v) { return pct(v); } } };
  };
  var builders = {
    timeline: function (d) {
      return {
        type: "bar",
        data: {
          labels: d.labels,
          datasets: [
            { type: "line", label: "cumulative lift of shipped changes", data: d.cumulative,
              borderColor: "#1f5fbf", backgroundColor: "#1f5fbf", tension: 0.2, pointRadius: 4, order: 0 },
            { type: "bar", label: "measured lift of the week's change", data: d.lift,
              backgroundColor: d.outcomes.map(function (o) { return colors[o] || "#8a94a6"; }), order: 1 }
          ]
        },
        options: {
          scales: { y: percentAxis("relative lift") },
          plugins: { tooltip: { callbacks: {
            label: function (c) { return c.dataset.label + ": " + pct(c.parsed.y); },
            afterLabel: function (c) { return c.datasetIndex === 1 ? d.titles[c.dataIndex] + " — " + d.outcomes[c.dataIndex] : ""; }
          } } }
        }
      };
    },
    dailyLift: function (d) {
      return {
        type: "line",
        data: {
          labels: d.labels,
          datasets: [
            { label: "95 % interval (upper)", data: d.upper, borderColor: "rgba(31,95,191,0.25)", pointRadius: 0, fill: false, borderWidth: 1 },
            { label: "95 % interval", data: d.lower, borderColor: "rgba(31,95,191,0.25)", backgroundColor: "rgba(31,95,191,0.14)", pointRadius: 0, fill: "-1", borderWidth: 1 },
            { label: "cumulative relative lift", data: d.lift, borderColor: "#1f5fbf", backgroundColor: "#1f5fbf", pointRadius: 4, tension: 0.15,
              pointBackgroundColor: d.labels.map(function (l, i) { return i === d.labels.length - 1 && d.final ? (colors[d.final] || "#1f5fbf") : "#1f5fbf"; }) }
          ]
        },
        options: {
          scales: { y: percentAxis("relative lift of " + d.metric) },
          plugins: { legend: { labels: { filter: function (item) { return item.text !== "95 % interval (upper)"; } } },
            tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + pct(c.parsed.y); } } } }
        }
      };
    },
    intervals: function (d) {
      return {
        type: "bar",
        data: {
          labels: d.labels,
          datasets: [
            { label: "95 % interval of the relative lift", data: d.ci,
              backgroundColor: d.bad.map(function (b) { return b ? "rgba(180,35,24,0.55)" : "rgba(31,95,191,0.45)"; }),
              borderSkipped: false, barPercentage: 0.5 }
          ]
        },
        options: {
          indexAxis: "y",
          scales: { x: percentAxis("relative lift") },
          plugins: { legend: { display: false }, tooltip: { callbacks: {
            label: function (c) { return "lift " + pct(d.lift[c.dataIndex]) + ", interval " + pct(d.ci[c.dataIndex][0]) + " … " + pct(d.ci[c.dataIndex][1]); }
          } } }
        }
      };
    }
  };
  var charts = {};
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var name = canvas.getAttribute("data-chart");
    var build = builders[canvas.getAttribute("data-kind")];
    if (!build || !data[name]) return;
    charts[name] = new Chart(canvas, build(data[name]));
  });
  window.shiploopCharts = charts;
  document.documentElement.setAttribute("data-charts-ready", String(Object.keys(charts).length));
})();
`;
