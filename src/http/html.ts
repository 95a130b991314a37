import { escapeHtml } from "../render/verdict-escape.js";

export { escapeHtml };

/**
 * Tagged template for HTML: every interpolated value is escaped unless it is already `Html`
 * (a fragment built by this same tag), and arrays are joined. So user text cannot reach the
 * page unescaped by accident.
 */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Value = Html | string | number | boolean | null | undefined | readonly Value[];

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0] ?? "";
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? "");
  });
  return new Html(out);
}

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

/**
 * Data for the page's charts as a JSON script block the page script reads. Escaping `<`, `>`,
 * `&` and the JS line separators means no string in the data can close the block.
 */
export function jsonScript(id: string, data: unknown): Html {
  const json = JSON.stringify(data)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
  return new Html(`<script type="application/json" id="${escapeHtml(id)}">${json}</script>`);
}

export function layout(options: { title: string; body: Html; charts?: boolean }): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · shiploop</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/style.css">
${
  options.charts
    ? html`<script src="/assets/chart.umd.min.js" defer></script>
<script src="/assets/charts.js" defer></script>`
    : ""
}
</head>
<body>
<header class="top"><a class="brand" href="/">shiploop</a>
<nav><a href="/">this week</a><a href="/queues">queues</a><a href="/metrics">metrics</a><a href="/healthz">health</a></nav></header>
<main>
${options.body}
</main>
</body>
</html>
`.text;
}

/** A small colored label for an outcome or a status. */
export function badge(text: string, tone: "good" | "bad" | "neutral" | "info"): Html {
  return html`<span class="badge ${tone}">${text}</span>`;
}
