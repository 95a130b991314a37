import { describe, expect, it } from "vitest";
import { EventNamesSchema } from "../../src/config/event-names.js";
import { DEFAULT_DIAGNOSE_SETTINGS } from "../../src/diagnose/diagnose-settings.js";
import { qualifiedAt, resolvePqlRule, type SignalOccurrence } from "../../src/diagnose/pql-rule.js";

const HOUR = 3_600_000;
// Default rule: ≥ 2 distinct invitees, ≥ 1 saved workflow, ≥ 1 pricing view, all within 48 h.
const rule = resolvePqlRule(DEFAULT_DIAGNOSE_SETTINGS.pql, EventNamesSchema.parse({}));
const INVITE = 0;
const WORKFLOW = 1;
const PRICING = 2;

let seq = 0;
const invite = (h: number, who?: string): SignalOccurrence => ({
  signal: INVITE,
  time: h * HOUR,
  key: who ? `=${who}` : `#${seq++}`,
});
const workflow = (h: number): SignalOccurrence => ({
  signal: WORKFLOW,
  time: h * HOUR,
  key: `#${seq++}`,
});
const pricing = (h: number): SignalOccurrence => ({
  signal: PRICING,
  time: h * HOUR,
  key: `#${seq++}`,
});

describe("qualifiedAt (compound PQL rule, 48 h window)", () => {
  it.each([
    {
      name: "all signals within an hour: qualifies at the last one",
      occ: [invite(0, "a"), invite(0.25, "b"), workflow(0.5), pricing(1)],
      hours: 1,
    },
    {
      name: "spread over 47 h: inside the window",
      occ: [invite(0, "a"), invite(10, "b"), workflow(20), pricing(47)],
      hours: 47,
    },
    {
      name: "exactly 48 h apart: the window is inclusive",
      occ: [invite(0, "a"), invite(10, "b"), workflow(20), pricing(48)],
      hours: 48,
    },
    {
      name: "49 h apart: the first invite has left the window",
      occ: [invite(0, "a"), invite(10, "b"), workflow(20), pricing(49)],
      hours: null,
    },
    {
      name: "the same teammate invited twice is one invitee",
      occ: [invite(0, "a"), invite(1, "a"), workflow(2), pricing(3)],
      hours: null,
    },
    {
      name: "invites without an invitee id are counted as different people",
      occ: [invite(0), invite(1), workflow(2), pricing(3)],
      hours: 3,
    },
    {
      name: "a failed first burst, then a second burst that qualifies at its last signal",
      occ: [
        invite(0, "a"),
        invite(1, "b"),
        workflow(2),
        pricing(60),
        invite(61, "c"),
        invite(62, "d"),
        workflow(63),
      ],
      hours: 63,
    },
    {
      name: "input order does not matter",
      occ: [pricing(47), workflow(20), invite(10, "b"), invite(0, "a")],
      hours: 47,
    },
    {
      name: "a missing signal never qualifies",
      occ: [invite(0, "a"), invite(1, "b"), workflow(2)],
      hours: null,
    },
  ])("$name", ({ occ, hours }) => {
    expect(qualifiedAt(occ, rule)).toBe(hours === null ? null : hours * HOUR);
  });

  it("resolves logical names through the config's event names, raw names as given", () => {
    const names = EventNamesSchema.parse({ invite: "teammate_invited" });
    const resolved = resolvePqlRule(
      {
        windowHours: 24,
        signals: [
          { event: "invite", atLeast: 3, distinctBy: "email" },
          { event: "created_dashboard", atLeast: 1 },
        ],
      },
      names,
    );
    expect(resolved.windowMs).toBe(24 * HOUR);
    expect([...resolved.signalsByEvent.entries()]).toEqual([
      ["teammate_invited", [0]],
      ["created_dashboard", [1]],
    ]);
    expect(resolved.atLeast).toEqual([3, 1]);
    expect(resolved.distinctBy).toEqual(["email", undefined]);
  });
});
