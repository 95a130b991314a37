import { describe, expect, it } from "vitest";
import { EventNamesSchema } from "../../src/config/event-names.js";
import { diagnose } from "../../src/diagnose/diagnose.js";
import { DEFAULT_DIAGNOSE_SETTINGS } from "../../src/diagnose/diagnose-settings.js";
import { MIN_ROUTED_LEADS, withRoutedPql } from "../../src/diagnose/with-routed-pql.js";

const names = EventNamesSchema.parse({});
const day = 86_400_000;
const t0 = Date.UTC(2026, 0, 5);
// A small funnel: 10 sign-ups, 5 activate within minutes; nothing else measured.
const events = Array.from({ length: 10 }, (_, i) => [
  {
    event: "signed_up",
    distinct_id: `u${i}`,
    timestamp: new Date(t0 + i * 1000).toISOString(),
    properties: { plan: "free" },
  },
  ...(i < 5
    ? [
        {
          event: "activated",
          distinct_id: `u${i}`,
          timestamp: new Date(t0 + i * 1000 + 300_000).toISOString(),
        },
      ]
    : []),
]).flat();
const snapshot = diagnose(events, {
  settings: DEFAULT_DIAGNOSE_SETTINGS,
  names,
  asOf: t0 + 60 * day,
});

describe("PQL conversion from the routed leads", () => {
  it("replaces the PQL reading, and the stage weights follow", () => {
    const benchmark = DEFAULT_DIAGNOSE_SETTINGS.benchmarks.pqlConversion;
    const routed = withRoutedPql(
      snapshot,
      { qualified: 200, converted: 10 },
      DEFAULT_DIAGNOSE_SETTINGS,
    );
    expect(routed.stages.pql.value).toBeCloseTo(0.05, 12);
    expect(routed.stages.pql.sample).toBe(200);
    expect(routed.stages.pql.gap).toBeCloseTo((benchmark - 0.05) / benchmark, 12);
    expect(routed.stageWeights.pql).toBeGreaterThan(snapshot.stageWeights.pql);
    expect(routed.stages.activation).toEqual(snapshot.stages.activation);
  });

  it("leaves the snapshot alone when too few leads were routed to say anything", () => {
    expect(
      withRoutedPql(
        snapshot,
        { qualified: MIN_ROUTED_LEADS - 1, converted: 0 },
        DEFAULT_DIAGNOSE_SETTINGS,
      ),
    ).toBe(snapshot);
  });
});
