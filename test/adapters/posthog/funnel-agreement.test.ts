import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diagnoseEventsFile } from "../../../src/adapters/files/read-events-file.js";
import { diagnoseInPostHog } from "../../../src/adapters/posthog/posthog-funnel-source.js";
import { PostHogQueryClient } from "../../../src/adapters/posthog/query-client.js";
import { EventNamesSchema } from "../../../src/config/event-names.js";
import { diagnose } from "../../../src/diagnose/diagnose.js";
import { DiagnoseSettingsSchema } from "../../../src/diagnose/diagnose-settings.js";
import type { FunnelSnapshot } from "../../../src/domain/funnel-snapshot.js";
import { at, DAY, HOUR, MINUTE } from "../../diagnose/events.js";
import { FakePostHog } from "../../fakes/posthog/fake-posthog.js";
import { funnelAnswers } from "../../fakes/posthog/hogql-evaluators.js";

const EXAMPLE = "examples/events.ndjson.gz";
const names = EventNamesSchema.parse({});

/** Both snapshots with float noise rounded away (PostHog sums MRR in another order). */
function comparable(snapshot: FunnelSnapshot): unknown {
  return JSON.parse(
    JSON.stringify(snapshot, (_k, v) => (typeof v === "number" ? Number(v.toPrecision(12)) : v)),
  );
}

function clientFor(fake: FakePostHog): PostHogQueryClient {
  return new PostHogQueryClient({
    host: fake.url,
    projectId: fake.projectId,
    personalApiKey: fake.personalApiKey,
  });
}

describe("the PostHog funnel source agrees with the events file", () => {
  let fake: FakePostHog;
  beforeAll(async () => {
    fake = await FakePostHog.start();
    await fake.loadEventsFile(EXAMPLE);
  });
  afterAll(() => fake.close());

  for (const [label, overrides] of [
    ["default settings", {}],
    [
      "other windows, a trial model and a stricter PQL rule",
      {
        activationDays: 3,
        conversionDays: 14,
        recentCohorts: 2,
        model: "trial",
        nrrDays: 90,
        pql: {
          windowHours: 24,
          signals: [
            { event: "invite", atLeast: 3, distinctBy: "invitee_id" },
            { event: "pricingViewed", atLeast: 2 },
          ],
        },
      },
    ],
  ] as const) {
    it(`on examples/events.ndjson.gz with ${label}`, async () => {
      const settings = DiagnoseSettingsSchema.parse(overrides);
      fake.answer(funnelAnswers(names, settings));
      const fromFile = await diagnoseEventsFile(EXAMPLE, settings, names);
      const fromPostHog = await diagnoseInPostHog(clientFor(fake), settings, names);

      // Unreadable lines never reach PostHog; everything else must match exactly.
      const { events: fileEvents, ...fileRest } = fromFile;
      const { events: phEvents, ...phRest } = fromPostHog;
      expect(comparable(phRest as FunnelSnapshot)).toEqual(comparable(fileRest as FunnelSnapshot));
      const unreadable = fileEvents.bad - (fileEvents.badByReason["bad-mrr"] ?? 0);
      expect(phEvents).toEqual({
        read: fileEvents.read - unreadable,
        used: fileEvents.used,
        ignored: fileEvents.ignored,
        bad: fileEvents.badByReason["bad-mrr"] ?? 0,
        badByReason: fileEvents.badByReason["bad-mrr"]
          ? { "bad-mrr": fileEvents.badByReason["bad-mrr"] }
          : {},
        usersWithoutSignup: fileEvents.usersWithoutSignup,
      });
      expect(fromFile.weakestStage).not.toBeNull();
      expect(fromPostHog.cohorts.length).toBeGreaterThan(4);
    });
  }
});

describe("edge cases agree too", () => {
  const base = "2026-01-05T00:00:00Z"; // a Monday
  const cases: [string, ReturnType<typeof at>[]][] = [
    ["no events at all", []],
    [
      "activation before signup, repeated signups, a bad MRR, revenue by account",
      [
        at(base, -HOUR, "activated", "a"),
        at(base, 0, "signed_up", "a", { plan: "free" }),
        at(base, 5 * MINUTE, "signed_up", "a"),
        at(base, 12 * MINUTE, "activated", "a"),
        at(base, DAY, "signed_up", "b"),
        at(base, DAY + 8 * DAY, "activated", "b"),
        at(base, 2 * DAY, "subscription_started", "a", { mrr: 50, account_id: "acme" }),
        at(base, 3 * DAY, "mrr_changed", "c", { account_id: "acme", mrr: 80 }),
        at(base, 3 * DAY, "mrr_changed", "c", { account_id: "acme", mrr: "lots" }),
        at(base, 20 * DAY, "subscription_started", "b", { mrr: 20 }),
        at(base, 50 * DAY, "subscription_cancelled", "b"),
        at(base, 60 * DAY, "mrr_changed", "x", { account_id: 7, mrr: 10 }),
        at(base, 90 * DAY, "session_started", "zz"),
        at(base, 91 * DAY, "activated", "nobody"),
      ],
    ],
    [
      "PQL: re-invites of the same person count once, invites without an id each count, paid first is no lead",
      [
        at(base, 0, "signed_up", "p1"),
        at(base, HOUR, "invited_teammate", "p1", { invitee_id: "t1" }),
        at(base, 2 * HOUR, "invited_teammate", "p1", { invitee_id: "t1" }),
        at(base, 3 * HOUR, "saved_workflow", "p1"),
        at(base, 4 * HOUR, "viewed_pricing", "p1"),
        at(base, 5 * HOUR, "invited_teammate", "p1", { invitee_id: "t2" }),
        at(base, 6 * DAY, "subscription_started", "p1", { mrr: 30 }),
        at(base, 0, "signed_up", "p2"),
        at(base, HOUR, "invited_teammate", "p2"),
        at(base, HOUR, "invited_teammate", "p2"),
        at(base, 2 * HOUR, "saved_workflow", "p2"),
        at(base, 3 * HOUR, "viewed_pricing", "p2"),
        at(base, 0, "signed_up", "p3"),
        at(base, HOUR, "subscription_started", "p3", { mrr: 10 }),
        at(base, 2 * HOUR, "invited_teammate", "p3", { invitee_id: "a" }),
        at(base, 2 * HOUR, "invited_teammate", "p3", { invitee_id: "b" }),
        at(base, 3 * HOUR, "saved_workflow", "p3"),
        at(base, 50 * HOUR, "viewed_pricing", "p3"),
        at(base, 60 * DAY, "session_started", "later"),
      ],
    ],
  ];
  for (const [label, events] of cases) {
    it(label, async () => {
      const settings = DiagnoseSettingsSchema.parse({});
      const fake = await FakePostHog.start();
      try {
        fake.addEvents(events);
        fake.answer(funnelAnswers(names, settings));
        const fromFile = diagnose(events, { settings, names });
        const fromPostHog = await diagnoseInPostHog(clientFor(fake), settings, names);
        expect(comparable(fromPostHog)).toEqual(comparable(fromFile));
      } finally {
        await fake.close();
      }
    });
  }
});
