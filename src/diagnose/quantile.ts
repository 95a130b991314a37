/**
 * The q-quantile of sorted values with linear interpolation between closest ranks (the
 * default of R, NumPy and spreadsheets): position (n − 1)·q. The median of [4, 10] is 7.
 */
export function quantileSorted(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lower = Math.floor(pos);
  const upper = Math.ceil(pos);
  const a = sorted[lower] as number;
  const b = sorted[upper] as number;
  return a + (b - a) * (pos - lower);
}
