import { describe, expect, it } from "vitest";
import { ALPHA } from "../../jobs/judge.js";
import { seededRandom } from "../../src/adapters/sandbox/seeded-random.js";
import { formatDemo } from "../../src/demo/format-demo.js";
import { runDemo } from "../../src/demo/run-demo.js";
import { STRATEGIES } from "../../src/demo/strategies.js";
import { syntheticBacklog, WIN_THRESHOLD } from "../../src/demo/synthetic-backlog.js";

describe("runDemo", () => {
  it("gives identical output for the same seed, and different output for another", () => {
    const a = runDemo({ seed: "same", weeks: 12, itemCount: 40 });
    const b = runDemo({ seed: "same", weeks: 12, itemCount: 40 });
    const c = runDemo({ seed: "other", weeks: 12, itemCount: 40 });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(formatDemo(b)).toBe(formatDemo(a));
    expect(JSON.stringify(c)).not.toBe(JSON.stringify(a));
  });

  it("never lets another strategy capture more than the oracle, on any seed", () => {
    const others = STRATEGIES.filter((s) => s !== "oracle");
    expect(others).toEqual(["shiploop", "ice", "random"]);
    for (let seed = 1; seed <= 6; seed++) {
      const result = runDemo({ seed: String(seed), weeks: 26, itemCount: 60 });
      const oracle = result.totals.oracle.capturedLift;
      expect(oracle, `seed ${seed}`).toBeGreaterThan(0);
      for (const s of others) {
        expect(result.totals[s].capturedLift, `seed ${seed}, ${s}`).toBeLessThanOrEqual(
          oracle + 1e-12,
        );
      }
      expect(result.totals.oracle.falseShips).toBe(0);
      expect(result.totals.oracle.oracleRatio).toBe(1);
    }
  });

  it("keeps at most α of its changes when no change does anything", () => {
    let tested = 0;
    let kept = 0;
    for (let seed = 1; seed <= 6; seed++) {
      const items = syntheticBacklog(seededRandom(`null/${seed}`), 60).map((item) => ({
        ...item,
        sandbox: { trueRelativeLift: 0 },
      }));
      const result = runDemo({ seed: `null/${seed}`, weeks: 52, items });
      tested += result.totals.shiploop.tested;
      kept += result.totals.shiploop.kept;
      expect(result.totals.oracle.kept).toBe(0);
      expect(result.totals.oracle.capturedLift).toBe(0);
    }
    expect(tested).toBeGreaterThan(300);
    // α, plus three binomial standard deviations of the share kept.
    const tolerance = 3 * Math.sqrt((ALPHA * (1 - ALPHA)) / tested);
    expect(kept / tested).toBeLessThanOrEqual(ALPHA + tolerance);
  });

  it("learns: shiploop records one observation per tried item and ranks with it", () => {
    const result = runDemo({ seed: "learn", weeks: 20, itemCount: 40 });
    const weeks = result.runs.shiploop.weeks;
    expect(weeks.every((w) => w.itemId !== null)).toBe(true);
    expect(new Set(weeks.map((w) => w.itemId)).size).toBe(20);
    // Every verdict comes from the pre-registered rules: the fixed verdict or an early roll-back.
    for (const w of weeks) {
      if (w.decidedOnDay !== null && w.decidedOnDay < 7) expect(w.decision).toBe("rollback");
    }
  });
});

describe("syntheticBacklog", () => {
  it("draws realistic truths: mostly near zero, some losers, 10–30 % winners, optimistic authors", () => {
    const items = syntheticBacklog(seededRandom("backlog"), 2000);
    const truths = items.map((i) => i.sandbox?.trueRelativeLift ?? 0);
    const winners = truths.filter((t) => t >= WIN_THRESHOLD).length / truths.length;
    const losers = truths.filter((t) => t <= -WIN_THRESHOLD).length / truths.length;
    expect(winners).toBeGreaterThan(0.1);
    expect(winners).toBeLessThan(0.3);
    expect(losers).toBeGreaterThan(0.1);
    expect(losers).toBeLessThan(0.3);
    const meanTruth = truths.reduce((a, b) => a + b, 0) / truths.length;
    const meanPitch = items.reduce((a, i) => a + i.impact.relativeLift, 0) / items.length;
    expect(meanPitch).toBeGreaterThan(2 * meanTruth);
    expect(Math.max(...truths)).toBeGreaterThan(0.15);
  });
});
