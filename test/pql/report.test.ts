import { afterEach, expect, it } from "vitest";
import { listLeads, pqlReport } from "../../src/pql/pql-report.js";
import { ev, type Harness, HOUR, rule, startHarness, T0 } from "./harness.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

it("reports each rule's volume and conversion from subscription_started seen by the intake", async () => {
  const pricing = rule({ id: "pricing", all: [{ event: "viewed_pricing" }] });
  const invites = rule({ id: "invites", all: [{ event: "invited_teammate", atLeast: 2 }] });
  h = await startHarness([pricing, invites]);
  for (const u of ["a", "b", "c", "d"]) await h.send(ev("viewed_pricing", u, T0));
  for (const u of ["e", "f"])
    await h.send(ev("invited_teammate", u, T0), ev("invited_teammate", u, T0 + HOUR));
  // a and b buy after qualifying; c bought before (does not count); e never qualified by pricing.
  await h.send(
    ev("subscription_started", "a", T0 + 24 * HOUR),
    ev("subscription_started", "b", T0 + 72 * HOUR),
    ev("subscription_started", "c", T0 - HOUR),
  );
  await h.settle();
  const report = await pqlReport(h.redis, h.keys, [pricing, invites]);
  expect(report).toEqual([
    {
      rule: "invites",
      title: "rule invites",
      level: "user",
      qualified: 2,
      converted: 0,
      conversion: 0,
      medianDaysToConvert: null,
    },
    {
      rule: "pricing",
      title: "rule pricing",
      level: "user",
      qualified: 4,
      converted: 2,
      conversion: 0.5,
      medianDaysToConvert: 1,
    },
  ]);
  const leads = await listLeads(h.redis, h.keys);
  expect(leads).toHaveLength(6);
});
