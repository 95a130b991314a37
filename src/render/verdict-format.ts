/**
 * Number formats shared by every rendering of a verdict (terminal, markdown, HTML), so the
 * CLI, the pull-request comment and the web page never disagree about a figure.
 */

/** A relative change as a signed percentage: `+4.2 %`, `−0.3 %`, `0.0 %`. */
export function formatLift(x: number, digits = 1): string {
  if (!Number.isFinite(x)) return "n/a";
  const text = (Math.abs(x) * 100).toFixed(digits);
  if (Number(text) === 0) return `${text} %`;
  return `${x > 0 ? "+" : "−"}${text} %`;
}

/** A 95 % interval of a relative change: `+1.0 % … +7.3 %`. */
export function formatInterval(ci: readonly [number, number]): string {
  return `${formatLift(ci[0])} … ${formatLift(ci[1])}`;
}

export function formatPValue(p: number): string {
  if (!Number.isFinite(p)) return "n/a";
  if (p < 0.001) return "p < 0.001";
  return `p = ${p.toPrecision(2)}`;
}

/** A rate (share of users), e.g. `18.35 %`. */
export function formatRate(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(2)} %` : "n/a";
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/** `2026-12-01 09:00 UTC` from an ISO instant; unknown stays visible as a dash. */
export function formatInstant(iso: string | undefined): string {
  if (!iso) return "–";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "–";
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/**
 * Removes terminal control characters (ANSI escapes, carriage returns, bells) and folds line
 * breaks into spaces, so a hostile title cannot rewrite the terminal or break a table row.
 */
export function plainText(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  return text.replace(/\r\n|[\r\n\t]/g, " ").replace(/[\u0000-\u001f\u007f-\u009f]/g, "");
}
