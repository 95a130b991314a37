import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostHogMetricsSource } from "../../../src/adapters/posthog/posthog-metrics-source.js";
import { PostHogQueryClient } from "../../../src/adapters/posthog/query-client.js";
import { BacklogItemSchema } from "../../../src/domain/backlog-item.js";
import type { ExperimentRecord } from "../../../src/domain/experiment.js";
import { validItem } from "../../backlog/valid-item.js";
import { at, DAY, HOUR, MINUTE } from "../../diagnose/events.js";
import { FakePostHog } from "../../fakes/posthog/fake-posthog.js";
import { experimentAnswers } from "../../fakes/posthog/hogql-evaluators.js";

const SINCE = "2026-02-02T00:00:00.000Z";
const FLAG = "onboarding_three_steps";
const item = BacklogItemSchema.parse({
  ...validItem(),
  guardrails: [
    { name: "revenue", event: "purchase", type: "mean", property: "amount", maxRelativeDrop: 0.05 },
    { name: "basket", event: "purchase", type: "ratio", property: "amount", maxRelativeDrop: 0.05 },
  ],
});
const experiment: ExperimentRecord = {
  id: "2026-W06--onboarding-three-steps",
  week: "2026-W06",
  itemId: item.id,
  item,
  status: "measuring",
  history: [],
  writes: {},
  checks: [],
  version: 1,
  measuringSince: SINCE,
  verdictDueAt: new Date(Date.parse(SINCE) + 7 * DAY).toISOString(),
};
const exposure = (offset: number, id: string, response: boolean | string, flag = FLAG) =>
  at(SINCE, offset, "$feature_flag_called", id, {
    $feature_flag: flag,
    $feature_flag_response: response,
  });

/** Hand-made: each user's story says what must count. */
const EVENTS = [
  // c1: control; activated and bought twice after exposure, bought once in the pre-period.
  exposure(HOUR, "c1", false),
  at(SINCE, 2 * HOUR, "activated", "c1"),
  at(SINCE, 3 * HOUR, "purchase", "c1", { amount: 10 }),
  at(SINCE, 4 * HOUR, "purchase", "c1", { amount: 20 }),
  at(SINCE, -DAY, "purchase", "c1", { amount: 5 }),
  // c2: control; activated only before the experiment (pre-period).
  exposure(HOUR, "c2", false),
  at(SINCE, -2 * HOUR, "activated", "c2"),
  // t1: treatment, exposed twice; an activation before exposure does not count, the later one does.
  exposure(HOUR, "t1", true),
  exposure(2 * DAY, "t1", true),
  at(SINCE, 30 * MINUTE, "activated", "t1"),
  at(SINCE, DAY, "activated", "t1"),
  at(SINCE, 2 * HOUR, "purchase", "t1", { amount: 30 }),
  // t2: saw both variants: left out everywhere.
  exposure(HOUR, "t2", true),
  exposure(2 * HOUR, "t2", false),
  at(SINCE, 3 * HOUR, "activated", "t2"),
  // t3: treatment from its first exposure inside the window; buys before it and after `until`.
  exposure(-HOUR, "t3", true),
  exposure(5 * HOUR, "t3", true),
  at(SINCE, 4 * HOUR, "purchase", "t3", { amount: 7 }),
  at(SINCE, 7 * DAY + HOUR, "purchase", "t3", { amount: 3 }),
  // Another flag's exposure is not this experiment's.
  exposure(HOUR, "x1", true, "other_flag"),
];

describe("the PostHog metrics source", () => {
  let fake: FakePostHog;
  beforeAll(async () => {
    fake = await FakePostHog.start();
    fake.addEvents(EVENTS);
    fake.answer(experimentAnswers([item.primaryMetric, ...item.guardrails]));
  });
  afterAll(() => fake.close());

  it("gives per-variant sufficient statistics of the primary metric and guardrails", async () => {
    const source = new PostHogMetricsSource(
      new PostHogQueryClient({
        host: fake.url,
        projectId: fake.projectId,
        personalApiKey: fake.personalApiKey,
      }),
    );
    const until = new Date(Date.parse(SINCE) + 7 * DAY);
    const measurement = await source.measure(experiment, until);
    expect(measurement).toEqual({
      variants: [
        { name: "control", users: 2, weight: 0.5 },
        { name: "treatment", users: 2, weight: 0.5 },
      ],
      metrics: [
        {
          name: "activated",
          type: "proportion",
          higherIsBetter: true,
          stats: {
            control: { n: 2, sum: 1, preSum: 1, preSumSquares: 1, sumProductPre: 0 },
            treatment: { n: 2, sum: 1, preSum: 0, preSumSquares: 0, sumProductPre: 0 },
          },
        },
        {
          name: "revenue",
          type: "mean",
          higherIsBetter: true,
          stats: {
            control: {
              n: 2,
              sum: 30,
              sumSquares: 900,
              preSum: 5,
              preSumSquares: 25,
              sumProductPre: 150,
            },
            treatment: {
              n: 2,
              sum: 30,
              sumSquares: 900,
              preSum: 0,
              preSumSquares: 0,
              sumProductPre: 0,
            },
          },
        },
        {
          name: "basket",
          type: "ratio",
          higherIsBetter: true,
          stats: {
            control: {
              n: 2,
              sum: 30,
              sumSquares: 900,
              denominatorSum: 2,
              denominatorSumSquares: 4,
              sumProductDenominator: 60,
            },
            treatment: {
              n: 2,
              sum: 30,
              sumSquares: 900,
              denominatorSum: 1,
              denominatorSumSquares: 1,
              sumProductDenominator: 30,
            },
          },
        },
      ],
    });
    const since = Date.parse(SINCE);
    expect(fake.queries.map((q) => [q.name, q.values])).toEqual([
      ["shiploop-experiment-exposures", { flag: FLAG, from_ms: since, until_ms: until.getTime() }],
      ...[
        ["proportion", "activated"],
        ["mean", "purchase"],
        ["ratio", "purchase"],
      ].map(([type, event]) => [
        `shiploop-experiment-metric-${type}`,
        {
          flag: FLAG,
          from_ms: since,
          until_ms: until.getTime(),
          pre_from_ms: since - 7 * DAY,
          metric_event: event,
        },
      ]),
    ]);
  });
});
