/**
 * Adjusted p-values for many comparisons read together (every metric × every variant).
 * Holm–Bonferroni controls the family-wise error rate; Benjamini–Hochberg the false discovery
 * rate, which is less strict and fits "which of these many metrics moved".
 * Both return adjusted p-values in the input order, each capped at 1.
 */

export type Correction = "none" | "holm" | "bh";

export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = ascendingOrder(pValues);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach((index, rank) => {
    // Step-down: the k-th smallest p is multiplied by (m − k + 1), kept monotone.
    running = Math.max(running, Math.min(1, (m - rank) * (pValues[index] ?? 1)));
    adjusted[index] = running;
  });
  return adjusted;
}

export function benjaminiHochbergAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = ascendingOrder(pValues);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const index = order[rank] as number;
    // Step-up: the k-th smallest p is multiplied by m / k, kept monotone from the top.
    running = Math.min(running, ((pValues[index] ?? 1) * m) / (rank + 1));
    adjusted[index] = running;
  }
  return adjusted;
}

export function adjustPValues(pValues: readonly number[], correction: Correction): number[] {
  if (correction === "holm") return holmAdjust(pValues);
  if (correction === "bh") return benjaminiHochbergAdjust(pValues);
  return [...pValues];
}

function ascendingOrder(values: readonly number[]): number[] {
  return values.map((_, i) => i).sort((a, b) => (values[a] ?? 1) - (values[b] ?? 1) || a - b);
}
