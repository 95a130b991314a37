import { describe, expect, it } from "vitest";
import {
  activationByCohortQuery,
  exposuresQuery,
  freeToPaidByCohortQuery,
  funnelOverviewQuery,
  type HogQLQuery,
  inlineValues,
  metricQuery,
  nrrQuery,
  pqlByCohortQuery,
  property,
  ttvHeadlineQuery,
  usersWithoutSignupQuery,
} from "../../../src/adapters/posthog/hogql-queries.js";
import { EventNamesSchema } from "../../../src/config/event-names.js";
import { DiagnoseSettingsSchema } from "../../../src/diagnose/diagnose-settings.js";

const names = EventNamesSchema.parse({});
const settings = DiagnoseSettingsSchema.parse({});
const since = Date.parse("2026-02-02T00:00:00Z");
const until = since + 7 * 86_400_000;
const window = { flag: "onboarding_three_steps", fromMs: since, untilMs: until };

/** Every query shiploop sends, with example values, as a reviewer would paste them into PostHog. */
const ALL: HogQLQuery[] = [
  funnelOverviewQuery(names, settings),
  usersWithoutSignupQuery(names, settings),
  activationByCohortQuery(names, settings),
  ttvHeadlineQuery(names, settings, {
    fromMs: Date.parse("2025-12-29T00:00:00Z"),
    toMs: Date.parse("2026-01-19T00:00:00Z"),
  }),
  freeToPaidByCohortQuery(names, settings),
  pqlByCohortQuery(names, settings),
  nrrQuery(names, { startMs: Date.parse("2025-08-01T00:00:00Z"), endMs: until }),
  exposuresQuery(window),
  metricQuery(
    { event: "activated", type: "proportion" },
    { ...window, preFromMs: since - 7 * 86_400_000 },
  ),
  metricQuery(
    { event: "subscription_started", type: "mean", property: "mrr" },
    { ...window, preFromMs: since - 7 * 86_400_000 },
  ),
  metricQuery(
    { event: "order_placed", type: "ratio", property: "order value" },
    { ...window, preFromMs: since - 7 * 86_400_000 },
  ),
];

describe("the HogQL texts", () => {
  it("are shown in full, values filled in, ready to paste into PostHog's SQL editor", async () => {
    const file = ALL.map((q) => `-- ${q.name}\n${inlineValues(q)};\n`).join("\n");
    await expect(file).toMatchFileSnapshot("./__snapshots__/hogql-queries.sql");
  });

  it("carry every value as a placeholder the text uses, and no value in the text itself", () => {
    for (const q of ALL) {
      const used = new Set([...q.text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));
      expect([...used].sort(), q.name).toEqual(Object.keys(q.values).sort());
      expect(inlineValues(q), q.name).not.toMatch(/\{\w+\}/);
    }
  });

  it("quote odd property names and escape odd values", () => {
    expect(property("invitee_id")).toBe("properties.invitee_id");
    expect(property("order value")).toBe("properties.`order value`");
    expect(property("a`b")).toBe("properties.`a\\`b`");
    expect(
      inlineValues({ name: "x", text: "event = {e} AND n = {n}", values: { e: "it's", n: 3 } }),
    ).toBe("event = 'it\\'s' AND n = 3");
  });
});
