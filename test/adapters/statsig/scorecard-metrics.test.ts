import { describe, expect, it } from "vitest";
import { scorecard, scorecardMetric } from "../../../src/adapters/statsig/scorecard-metrics.js";
import { MetricSchema } from "../../../src/domain/backlog-item.js";

const metric = (fields: Record<string, unknown>) =>
  MetricSchema.parse({ name: "activated", event: "project_created", ...fields });

describe("scorecardMetric", () => {
  it.each([
    [{ type: "proportion" }, { name: "activated", type: "event_user" }],
    [{ type: "mean" }, { name: "project_created", type: "event_count" }],
    [
      { type: "mean", property: "mrr" },
      { name: "activated", type: "sum" },
    ],
    [
      { type: "ratio", property: "seats" },
      { name: "activated", type: "ratio" },
    ],
  ])("%j → %j", (fields, expected) => {
    expect(scorecardMetric(metric(fields))).toEqual(expected);
  });

  it("lists each metric once: a guardrail equal to the primary metric is not repeated", () => {
    const primary = metric({ type: "proportion" });
    expect(
      scorecard(primary, [primary, metric({ name: "paid", type: "proportion" }), primary]),
    ).toEqual({
      primaryMetrics: [{ name: "activated", type: "event_user" }],
      secondaryMetrics: [{ name: "paid", type: "event_user" }],
    });
  });
});
