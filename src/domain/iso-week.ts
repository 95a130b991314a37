const WEEK = /^(\d{4})-W(\d{2})$/;

/** The ISO-8601 week (`2026-W49`) that `instant` falls in, as seen on the clocks of `timeZone`. */
export function isoWeekOf(instant: Date, timeZone = "UTC"): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  // Work on the local calendar date at UTC midnight so DST never shifts the day.
  const date = new Date(Date.UTC(get("year"), get("month") - 1, get("day")));
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday); // the Thursday decides the ISO year
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((date.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${date.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

export function isIsoWeek(text: string): boolean {
  const match = WEEK.exec(text);
  if (!match) return false;
  const week = Number(match[2]);
  return week >= 1 && week <= weeksInYear(Number(match[1]));
}

function weeksInYear(year: number): number {
  // A year has 53 ISO weeks when Dec 28 falls in week 53.
  return isoWeekOf(new Date(Date.UTC(year, 11, 28))).endsWith("53") ? 53 : 52;
}
