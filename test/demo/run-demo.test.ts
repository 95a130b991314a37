import { describe, expect, it } from "vitest";
import { ALPHA } from "../../jobs/judge.js";
import { seededRandom } from "../../src/adapters/sandbox/seeded-random.js";
import { computePriors, emptyPriors } from "../../src/backlog/learn-priors.js";
import { scoreBacklog } from "../../src/backlog/score-backlog.js";
import { formatDemo } from "../../src/demo/format-demo.js";
import { demoWorld, runDemo } from "../../src/demo/run-demo.js";
import { runStrategy } from "../../src/demo/run-strategy.js";
import { DEFAULT_KNOBS, STRATEGIES, shiploop } from "../../src/demo/strategies.js";
import { syntheticBacklog, WIN_THRESHOLD } from "../../src/demo/synthetic-backlog.js";
import { EQUAL_STAGE_WEIGHTS } from "../../src/diagnose/stage-weights.js";
import type { Priors } from "../../src/domain/priors.js";
import type { VerdictObservation } from "../../src/domain/verdict-observation.js";

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

  it("learns: one observation per tried item, and next week's ranking follows them", () => {
    // Equal stage weights, so that the only thing moving the ranking between weeks is learning.
    const options = {
      seed: "learn",
      weeks: 21,
      itemCount: 40,
      knobs: { ...DEFAULT_KNOBS, funnelWeights: false },
    };
    const { items } = demoWorld(options);
    const result = runDemo(options);
    const run = result.runs.shiploop;

    // One observation per tried item, in week order, carrying the author's estimate next to the
    // lift and decision the week measured.
    expect(run.observations.map((o) => o.itemId)).toEqual(run.weeks.map((w) => w.itemId));
    expect(new Set(run.observations.map((o) => o.itemId)).size).toBe(21);
    run.observations.forEach((o, i) => {
      const week = run.weeks[i];
      const item = items.find((x) => x.id === o.itemId);
      expect(o.estimatedLift).toBe(item?.impact.relativeLift);
      expect(o.confidence).toBe(item?.impact.confidence);
      expect(o.observedLift).toBe(week?.measuredLift);
      expect(o.observedSe).toBeGreaterThan(0);
      expect(o.decision).toBe(week?.decision);
    });
    for (const s of ["oracle", "ice", "random"] as const)
      expect(result.runs[s].observations).toEqual([]);

    // Week 21 is ranked with the first 20 observations; without them it would be ranked by the
    // authors' numbers alone, in another order.
    const learnedFrom = run.observations.slice(0, 20);
    const priors = computePriors(learnedFrom);
    const rank = (p: Priors) =>
      scoreBacklog(items, {
        stageWeights: { ...EQUAL_STAGE_WEIGHTS },
        priors: p,
        liveSurfaces: new Set(),
        shippedIds: new Set(learnedFrom.map((o) => o.itemId)),
        blockedIds: new Set(),
      }).filter((s) => s.eligible);
    const learned = rank(priors);
    const naive = rank(emptyPriors());
    expect(run.weeks[20]?.itemId).toBe(learned[0]?.id);
    expect(learned.map((s) => s.id)).not.toEqual(naive.map((s) => s.id));

    // The direction: a surface whose every verdict fell short of its estimate is calibrated down,
    // one whose every verdict beat it is calibrated up.
    const direction = { under: 0, over: 0 };
    for (const [surface, prior] of Object.entries(priors.surface)) {
      const seen = learnedFrom.filter((o) => o.surface === surface);
      const short = (o: VerdictObservation) => o.observedLift < o.estimatedLift * o.confidence;
      if (seen.every(short)) {
        direction.under++;
        expect(prior.liftCalibration, surface).toBeLessThan(1);
      } else if (!seen.some(short)) {
        direction.over++;
        expect(prior.liftCalibration, surface).toBeGreaterThan(1);
      }
    }
    expect(direction.under).toBeGreaterThan(0);
    expect(direction.over).toBeGreaterThan(0);
    // And every pair of items that changed places did so in favour of the better-delivering one.
    const naivePlace = new Map(naive.map((s, i) => [s.id, i]));
    let swaps = 0;
    learned.forEach((above, i) => {
      for (const below of learned.slice(i + 1)) {
        if ((naivePlace.get(above.id) ?? 0) < (naivePlace.get(below.id) ?? 0)) continue;
        swaps++;
        expect(above.factors.liftCalibration).toBeGreaterThan(below.factors.liftCalibration);
      }
    });
    expect(swaps).toBeGreaterThan(0);
  });

  it("judged by the truth, a learning strategy still learns from what each week measured", () => {
    const world = demoWorld({ seed: "truth-learns", weeks: 12, itemCount: 30 });
    const run = runStrategy({ ...shiploop(), measure: "truth" }, world);
    const engine = runStrategy(shiploop(), world);
    expect(run.observations.map((o) => o.itemId)).toEqual(run.weeks.map((w) => w.itemId));
    run.observations.forEach((o, i) => {
      const week = run.weeks[i];
      // The decision is the truth's; the lift is a measurement, not the truth.
      expect(o.decision).toBe(week?.decision);
      expect(o.observedSe).toBeGreaterThan(0);
      expect(o.observedLift).not.toBe(week?.trueEffect);
    });
    // Same world, same first pick, same measurement of it as the engine-judged run.
    expect(run.observations[0]?.observedLift).toBe(engine.observations[0]?.observedLift);
  });

  it("decides every week by the pre-registered rule, read off the interval it reports", () => {
    const { weeks } = runDemo({ seed: "learn", weeks: 20, itemCount: 40 }).runs.shiploop;
    const early = new Set(["primary-worse", "guardrail-breached", "srm-mismatch"]);
    for (const w of weeks) {
      const [low, high] = w.ci ?? [Number.NaN, Number.NaN];
      const at = `week ${w.week}: ${w.decision} by ${w.rule} on day ${w.decidedOnDay}, ci [${low}, ${high}]`;
      if ((w.decidedOnDay ?? 7) < 7) {
        expect(early.has(w.rule ?? ""), at).toBe(true);
        expect(w.decision, at).toBe("rollback");
      }
      if (w.rule === "primary-better") expect(low, at).toBeGreaterThan(0);
      if (w.rule === "primary-worse") expect(high, at).toBeLessThan(0);
      if (w.rule === "no-significant-effect") {
        expect(low, at).toBeLessThanOrEqual(0);
        expect(high, at).toBeGreaterThanOrEqual(0);
      }
      expect(w.decision === "ship", at).toBe(w.rule === "primary-better");
      expect(w.kept, at).toBe(w.decision === "ship");
    }
    const decisions = new Set(weeks.map((w) => w.decision));
    expect(decisions).toContain("ship");
    expect(decisions).toContain("inconclusive");
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
