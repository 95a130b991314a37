export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;
/** 1970-01-05 was a Monday: weeks are counted from it. */
export const FIRST_MONDAY_MS = 4 * DAY_MS;

/** Monday 00:00 UTC of the ISO week that `ms` falls in. */
export function weekStart(ms: number): number {
  return Math.floor((ms - FIRST_MONDAY_MS) / WEEK_MS) * WEEK_MS + FIRST_MONDAY_MS;
}

/**
 * The ISO week label (`2026-W05`) of a week's Monday. Cohorts are UTC weeks: a cohort is a
 * bucket of signups, and one clock for every user keeps buckets the same size everywhere.
 */
export function isoWeekLabel(mondayMs: number): string {
  // The Thursday of the week decides which year the week belongs to.
  const thursday = new Date(mondayMs + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / WEEK_MS) + 1;
  return `${year}-W${String(week).padStart(2, "0")}`;
}
