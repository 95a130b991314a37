import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "../../src/domain/duration.js";

describe("parseDuration", () => {
  it.each([
    ["7d", 7 * 86_400_000],
    ["90m", 90 * 60_000],
    ["5s", 5_000],
    ["250ms", 250],
    ["1.5h", 5_400_000],
    ["24h", 86_400_000],
    [" 7d ", 7 * 86_400_000],
  ])("%s → %i ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    "",
    "7",
    "7x",
    "d",
    "-1d",
    "0d",
    "0ms",
    "7 d",
    "7D",
    "1w",
    "1.d",
    ".5h",
    "1e3s",
    "7d7h",
    "Infinityd",
  ])("%j is not a duration", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe("formatDuration", () => {
  it.each([
    [7 * 86_400_000, "7d"],
    [90 * 60_000, "90m"],
    [5_400_000, "90m"],
    [5_000, "5s"],
    [250, "250ms"],
  ])("%i ms → %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it("round-trips through parseDuration", () => {
    for (const text of ["7d", "90m", "5s", "250ms", "36h"]) {
      const ms = parseDuration(text) ?? Number.NaN;
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
  });
});
