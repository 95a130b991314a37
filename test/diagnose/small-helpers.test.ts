import { describe, expect, it } from "vitest";
import { isoWeekLabel, weekStart } from "../../src/diagnose/cohort-week.js";
import { quantileSorted } from "../../src/diagnose/quantile.js";

describe("quantileSorted (linear interpolation, position (n − 1)·q)", () => {
  it.each([
    { values: [], q: 0.5, expected: null },
    { values: [7], q: 0.75, expected: 7 },
    { values: [4, 10], q: 0.5, expected: 7 },
    { values: [4, 10, 30], q: 0.5, expected: 10 },
    { values: [4, 10, 30], q: 0.75, expected: 20 },
    { values: [4, 10, 20, 30], q: 0.5, expected: 15 },
    { values: [4, 10, 20, 30], q: 0.75, expected: 22.5 },
  ])("q=$q of $values is $expected", ({ values, q, expected }) => {
    expect(quantileSorted(values, q)).toBe(expected);
  });
});

describe("cohort weeks (ISO, UTC)", () => {
  it.each([
    { time: "2026-01-05T00:00:00Z", monday: "2026-01-05T00:00:00.000Z", label: "2026-W02" },
    { time: "2026-01-11T23:59:59Z", monday: "2026-01-05T00:00:00.000Z", label: "2026-W02" },
    { time: "2026-01-01T12:00:00Z", monday: "2025-12-29T00:00:00.000Z", label: "2026-W01" },
    { time: "2021-01-03T12:00:00Z", monday: "2020-12-28T00:00:00.000Z", label: "2020-W53" },
    { time: "2024-12-30T08:00:00Z", monday: "2024-12-30T00:00:00.000Z", label: "2025-W01" },
  ])("$time is in $label", ({ time, monday, label }) => {
    const start = weekStart(Date.parse(time));
    expect(new Date(start).toISOString()).toBe(monday);
    expect(isoWeekLabel(start)).toBe(label);
  });
});
