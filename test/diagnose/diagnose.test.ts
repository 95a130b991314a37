import { describe, expect, it } from "vitest";
import { EventNamesSchema } from "../../src/config/event-names.js";
import { diagnose } from "../../src/diagnose/diagnose.js";
import {
  DEFAULT_DIAGNOSE_SETTINGS,
  type DiagnoseSettings,
  DiagnoseSettingsSchema,
} from "../../src/diagnose/diagnose-settings.js";
import { at, DAY, HOUR, MINUTE, type RawEvent } from "./events.js";

const names = EventNamesSchema.parse({});
const run = (
  events: unknown[],
  asOf: string,
  settings: DiagnoseSettings = DEFAULT_DIAGNOSE_SETTINGS,
) => diagnose(events, { settings, names, asOf: Date.parse(asOf) });

const W02 = "2026-01-05T09:00:00Z"; // Monday of ISO week 2026-W02
const W03 = "2026-01-12T09:00:00Z";

describe("activation and time to value", () => {
  // W02: 4 signups; activations after 4, 10 and 30 minutes, and one after 8 days (too late).
  // W03: 5 signups; one activation after 20 minutes.
  // W09: 1 signup six days before asOf: its 7-day window is still open.
  const events: RawEvent[] = [
    ...["u1", "u2", "u3", "u4"].map((u) => at(W02, 0, "signed_up", u, { plan: "free" })),
    at(W02, 4 * MINUTE, "activated", "u1"),
    at(W02, 10 * MINUTE, "activated", "u2"),
    at(W02, 30 * MINUTE, "activated", "u3"),
    at(W02, 30 * MINUTE + 2 * DAY, "activated", "u3"), // a second activation changes nothing
    at(W02, 8 * DAY, "activated", "u4"),
    ...["v1", "v2", "v3", "v4", "v5"].map((u) => at(W03, 0, "signed_up", u)),
    at(W03, 20 * MINUTE, "activated", "v1"),
    at("2026-02-23T09:00:00Z", 0, "signed_up", "late"),
  ];
  const snapshot = run(events, "2026-03-01T00:00:00Z");

  it("computes each cohort by hand", () => {
    const rows = snapshot.cohorts.map((c) => ({
      cohort: c.cohort,
      signups: c.signups,
      activated: c.activated,
      rate: c.activationRate,
      median: c.ttvMedianMinutes,
      p75: c.ttvP75Minutes,
      complete: c.activationComplete,
    }));
    expect(rows).toEqual([
      // TTV of [4, 10, 30]: median 10, p75 at position 1.5 → 10 + 0.5·20 = 20.
      {
        cohort: "2026-W02",
        signups: 4,
        activated: 3,
        rate: 0.75,
        median: 10,
        p75: 20,
        complete: true,
      },
      {
        cohort: "2026-W03",
        signups: 5,
        activated: 1,
        rate: 0.2,
        median: 20,
        p75: 20,
        complete: true,
      },
      {
        cohort: "2026-W09",
        signups: 1,
        activated: 0,
        rate: 0,
        median: null,
        p75: null,
        complete: false,
      },
    ]);
  });

  it("pools the complete cohorts into the headline and leaves the open one out", () => {
    expect(snapshot.headlineCohorts.activation).toEqual(["2026-W02", "2026-W03"]);
    // 4 of 9; TTV of [4, 10, 20, 30]: median 15, p75 at position 2.25 → 20 + 0.25·10 = 22.5.
    expect(snapshot.stages.activation.value).toBeCloseTo(4 / 9, 12);
    expect(snapshot.stages.ttv.value).toBe(15);
    expect(snapshot.stages.ttv.sample).toBe(4);
    // 15 min against ≤ 10 min: gap 1 − 10/15.
    expect(snapshot.stages.ttv.gap).toBeCloseTo(1 / 3, 12);
    expect(snapshot.stages.ttv.summary).toBe(
      "time to value is 5 min over benchmark (median 15 min vs ≤ 10 min)",
    );
  });

  it("takes only the most recent complete cohorts when told to", () => {
    const settings = DiagnoseSettingsSchema.parse({ recentCohorts: 1 });
    const one = run(events, "2026-03-01T00:00:00Z", settings);
    expect(one.headlineCohorts.activation).toEqual(["2026-W03"]);
    expect(one.stages.activation.value).toBe(0.2);
  });

  it("counts activation within N days, N from the settings", () => {
    const settings = DiagnoseSettingsSchema.parse({ activationDays: 9 });
    const nine = run(events, "2026-03-01T00:00:00Z", settings);
    expect(nine.cohorts[0]?.activated).toBe(4); // u4's day-8 activation now counts
  });
});

describe("cohort decay", () => {
  // Three weekly cohorts of 100 signups with 35, 26 and 18 activated.
  const cohort = (monday: string, activated: number, prefix: string) =>
    Array.from({ length: 100 }, (_, i) => [
      at(monday, 0, "signed_up", `${prefix}${i}`),
      ...(i < activated ? [at(monday, 15 * MINUTE, "activated", `${prefix}${i}`)] : []),
    ]).flat();
  const snapshot = run(
    [...cohort(W02, 35, "a"), ...cohort(W03, 26, "b"), ...cohort("2026-01-19T09:00:00Z", 18, "c")],
    "2026-03-01T00:00:00Z",
  );

  it("reports 35 % → 18 % with the least-squares slope per week", () => {
    const t = snapshot.activationTrend;
    expect(t.cohorts).toBe(3);
    expect(t.first).toEqual({ cohort: "2026-W02", rate: 0.35 });
    expect(t.last).toEqual({ cohort: "2026-W04", rate: 0.18 });
    // x = 0, 1, 2; y = .35, .26, .18: slope = Σ(x−1)(y−ȳ)/Σ(x−1)² = (−.35 + .18)/2 = −0.085.
    expect(t.slopePerCohort).toBeCloseTo(-0.085, 12);
    expect(t.relativeChange).toBeCloseTo(0.18 / 0.35 - 1, 12);
  });
});

describe("PQL conversion and free-to-paid", () => {
  // One W02 cohort of 10 users; the PQL rule is the default (2 invitees, workflow, pricing in 48 h).
  const pqlBurst = (id: string, startMs: number) => [
    at(W02, startMs, "invited_teammate", id, { invitee_id: `${id}-x` }),
    at(W02, startMs + HOUR, "invited_teammate", id, { invitee_id: `${id}-y` }),
    at(W02, startMs + 2 * HOUR, "saved_workflow", id),
    at(W02, startMs + 3 * HOUR, "viewed_pricing", id),
  ];
  const pay = (id: string, ms: number, mrr = 50) =>
    at(W02, ms, "subscription_started", id, { mrr });
  const events: RawEvent[] = [
    ...Array.from({ length: 10 }, (_, i) => at(W02, 0, "signed_up", `p${i + 1}`)),
    ...pqlBurst("p1", DAY), // PQL on day 1 …
    pay("p1", 3 * DAY), // … pays on day 3: a converted PQL
    ...pqlBurst("p2", 2 * DAY), // PQL who never pays
    // p3: the same signals spread over 72 h are no PQL; pays on day 10 anyway.
    at(W02, 0, "invited_teammate", "p3", { invitee_id: "a" }),
    at(W02, 24 * HOUR, "invited_teammate", "p3", { invitee_id: "b" }),
    at(W02, 48 * HOUR, "saved_workflow", "p3"),
    at(W02, 72 * HOUR, "viewed_pricing", "p3"),
    pay("p3", 10 * DAY),
    pay("p4", HOUR), // p4 paid first and met the rule later: a customer, not a lead
    ...pqlBurst("p4", 2 * DAY),
    ...pqlBurst("p5", 5 * DAY), // PQL who pays on day 40, after the 30-day horizon
    pay("p5", 40 * DAY),
  ];
  const snapshot = run(events, "2026-03-15T00:00:00Z");
  const c = snapshot.cohorts[0];

  it("counts PQLs, converted PQLs and payers by hand", () => {
    expect(c).toMatchObject({
      signups: 10,
      pqls: 3, // p1, p2, p5
      pqlsConverted: 1, // p1
      paid: 3, // p1, p3, p4
      conversionComplete: true,
    });
    expect(c?.pqlConversion).toBeCloseTo(1 / 3, 12);
    expect(c?.freeToPaid).toBe(0.3);
  });

  it("judges free-to-paid against the model's benchmark", () => {
    expect(snapshot.stages.monetization).toMatchObject({
      value: 0.3,
      benchmark: 0.02,
      benchmarkText: "2–5 % freemium",
      gap: 0,
    });
    const trial = run(
      events,
      "2026-03-15T00:00:00Z",
      DiagnoseSettingsSchema.parse({ model: "trial" }),
    );
    expect(trial.stages.monetization.benchmarkText).toBe("10–25 % trial");
    expect(trial.stages.monetization.gap).toBe(0);
    // PQL conversion 1/3 against 25 %: no gap either.
    expect(snapshot.stages.pql.gap).toBe(0);
  });

  it("does not count a cohort whose 30 days are still running", () => {
    const early = run(events, "2026-02-01T00:00:00Z");
    expect(early.cohorts[0]?.conversionComplete).toBe(false);
    expect(early.stages.monetization.value).toBeNull();
    expect(early.stages.monetization.summary).toBe(
      "free-to-paid conversion not measured (no complete cohort or base)",
    );
  });
});

describe("net revenue retention", () => {
  const asOf = "2026-12-31T00:00:00Z";
  const before = "2026-06-01T00:00:00Z"; // well before the 90-day period starts (Oct 2)
  const within = "2026-11-15T00:00:00Z";
  const events: RawEvent[] = [
    // A: 100 → 150 (expansion 50), events from two users of the account.
    at(before, 0, "subscription_started", "a-user1", { account_id: "A", mrr: 100 }),
    at(within, 0, "mrr_changed", "a-user2", { account_id: "A", mrr: 150 }),
    // B: 200 → cancelled (churn 200).
    at(before, 0, "subscription_started", "b", { account_id: "B", mrr: 200 }),
    at(within, 0, "subscription_cancelled", "b", { account_id: "B" }),
    // C: no account_id, so the account is the distinct_id: 100 → 80 (contraction 20).
    at(before, 0, "subscription_started", "c", { mrr: 100 }),
    at(within, 0, "mrr_changed", "c", { mrr: 80 }),
    // D starts inside the period: new revenue, not retention.
    at(within, 0, "subscription_started", "d", { mrr: 500 }),
    // E left before the period: not in the base.
    at(before, 0, "subscription_started", "e", { mrr: 70 }),
    at(before, DAY, "subscription_cancelled", "e"),
  ];

  it("divides the base's end MRR by its start MRR and breaks the change down", () => {
    const settings = DiagnoseSettingsSchema.parse({ nrrDays: 90 });
    const { nrr, stages } = run(events, asOf, settings);
    expect(nrr).toMatchObject({
      periodDays: 90,
      startsAt: "2026-10-02T00:00:00.000Z",
      accounts: 3,
      startMrr: 400,
      endMrr: 230,
      expansion: 50,
      contraction: 20,
      churned: 200,
    });
    expect(nrr.value).toBeCloseTo(0.575, 12);
    expect(nrr.annualized).toBeCloseTo(0.575 ** (365 / 90), 12);
    expect(stages.retention.value).toBe(nrr.annualized);
    expect(stages.retention.gap).toBeCloseTo(1 - 0.575 ** (365 / 90), 12);
  });

  it("shortens the period to half the revenue history when the data is short", () => {
    // Revenue history 2026-06-01 → 2026-12-31 is 213 days: period min(365, 106).
    const { nrr } = run(events, asOf);
    expect(nrr.periodDays).toBe(106);
  });

  it("has no value without revenue", () => {
    const { nrr, stages } = run([at(W02, 0, "signed_up", "x")], asOf);
    expect(nrr.value).toBeNull();
    expect(stages.retention.gap).toBeNull();
  });
});

describe("bad events", () => {
  it("counts every bad record by reason and keeps going", () => {
    const good = at(W02, 0, "signed_up", "ok1");
    const snapshot = run(
      [
        good,
        "not an object",
        { distinct_id: "x", timestamp: W02 },
        { event: "signed_up", timestamp: W02 },
        { event: "signed_up", distinct_id: "x", timestamp: "yesterday" },
        { event: "signed_up", distinct_id: "x", timestamp: "2026-13-45" },
        { event: "signed_up", distinct_id: "x", timestamp: W02, properties: [1] },
        at(W02, 0, "mrr_changed", "x", { mrr: "a lot" }),
        at(W02, 0, "page_viewed", "ok1"), // well-formed, just not a metric's event
        at(W02, HOUR, "activated", "nobody"), // a user with no signup
      ],
      "2026-03-01T00:00:00Z",
    );
    expect(snapshot.events).toEqual({
      read: 10,
      used: 2,
      ignored: 1,
      bad: 7,
      badByReason: {
        "bad-mrr": 1,
        "bad-properties": 1,
        "bad-timestamp": 2,
        "missing-distinct-id": 1,
        "missing-event": 1,
        "not-an-object": 1,
      },
      usersWithoutSignup: 1,
    });
    expect(snapshot.cohorts.map((c) => c.signups)).toEqual([1]);
  });

  it("answers an empty stream with an empty snapshot and equal weights", () => {
    const snapshot = diagnose([], { settings: DEFAULT_DIAGNOSE_SETTINGS, names });
    expect(snapshot.asOf).toBeNull();
    expect(snapshot.cohorts).toEqual([]);
    expect(snapshot.weakestStage).toBeNull();
    expect(Object.values(snapshot.stageWeights)).toEqual([1, 1, 1, 1, 1]);
  });
});

describe("weakest stage and stage weights", () => {
  it("names the stage with the largest gap and weights stages by their gaps", () => {
    // 10 signups, u0 activates after 15 min, u0 and u1 pay 50 each and keep paying.
    const events = [
      ...Array.from({ length: 10 }, (_, i) => at(W02, 0, "signed_up", `u${i}`)),
      at(W02, 15 * MINUTE, "activated", "u0"),
      at(W02, HOUR, "subscription_started", "u0", { mrr: 50 }),
      at(W02, HOUR, "subscription_started", "u1", { mrr: 50 }),
    ];
    const snapshot = run(events, "2026-03-01T00:00:00Z");
    const gaps = Object.fromEntries(Object.values(snapshot.stages).map((s) => [s.stage, s.gap]));
    // ttv 15 vs 10 min: 1/3; activation 10 % vs 40 %: 0.75; no PQL at all: unmeasured;
    // free-to-paid 20 % vs 2 %: 0; NRR 100 %: 0.
    expect(gaps.ttv).toBeCloseTo(1 / 3, 12);
    expect(gaps.activation).toBeCloseTo(0.75, 12);
    expect(gaps).toMatchObject({ pql: null, monetization: 0, retention: 0 });
    expect(snapshot.stages.activation.summary).toBe(
      "activation rate is 30 pts under benchmark (10 % vs 40 %)",
    );
    expect(snapshot.weakestStage).toBe("activation");
    // w = (g + 0.1) / mean(g + 0.1), the unmeasured PQL stage filled with the mean gap
    // (1/3 + 0.75)/4 = 0.2708…, which makes its weight exactly 1.
    const mean = (1 / 3 + 0.75 + 0.270833333333 + 0 + 0) / 5 + 0.1;
    const w = snapshot.stageWeights;
    expect(w.ttv).toBeCloseTo((1 / 3 + 0.1) / mean, 9);
    expect(w.activation).toBeCloseTo(0.85 / mean, 9);
    expect(w.pql).toBeCloseTo(1, 9);
    expect(w.monetization).toBeCloseTo(0.1 / mean, 9);
    expect(w.retention).toBeCloseTo(0.1 / mean, 9);
  });
});
