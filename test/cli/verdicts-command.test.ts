import { afterEach, describe, expect, it } from "vitest";
import { registerVerdicts, type VerdictsLedger } from "../../src/cli/verdicts-command.js";
import { buildConfig } from "../../src/config/config.js";
import type { ExperimentRecord } from "../../src/domain/experiment.js";
import { fixedExperiment, fixedVerdict, HOSTILE_TITLE } from "../render/verdict-fixtures.js";
import { runCommand } from "../support/run-command.js";

afterEach(() => {
  process.exitCode = undefined;
});

const shipped = fixedExperiment();
const early = fixedExperiment({
  week: "2026-W50",
  item: {
    id: "pricing-annual-toggle-on-the-checkout-page",
    title: HOSTILE_TITLE,
    surface: "pricing",
  },
  verdict: fixedVerdict({
    decision: "rollback",
    early: true,
    srm: { pValue: 0.0002, mismatch: true },
    primary: { ...fixedVerdict().primary, relativeLift: -0.21, ci: [-0.3, -0.12], pValue: 0.0001 },
    applied: "gate pricing_annual_toggle to 0 %",
    decidedAt: "2026-12-10T09:00:00.000Z",
  }),
});
const measuring = fixedExperiment({
  week: "2026-W51",
  item: { id: "seat-nudge", surface: "billing" },
  verdict: null,
});

function ledgerOf(experiments: ExperimentRecord[]): VerdictsLedger {
  const decided = experiments
    .filter((e) => e.verdict)
    .sort((a, b) => (b.verdict?.decidedAt ?? "").localeCompare(a.verdict?.decidedAt ?? ""));
  return {
    listDecided: async () => decided,
    getExperiment: async (id) => experiments.find((e) => e.id === id),
    // The stub's records are oldest first, so the last one of an item is its latest.
    latestExperimentOf: async (itemId) => experiments.findLast((e) => e.itemId === itemId),
  };
}

/** A verdicts command over these records; a user error's line on stderr is part of `out`. */
async function run(
  args: string[],
  experiments: ExperimentRecord[],
): Promise<{ out: string; code: number }> {
  const { out, err, code } = await runCommand(
    (program, stdout) =>
      registerVerdicts(program, {
        loadConfig: () => buildConfig({}),
        withLedger: (_config, use) => use(ledgerOf(experiments)),
        stdout,
      }),
    args,
  );
  return { out: out + err, code };
}

describe("shiploop verdicts", () => {
  it("prints a readable table, newest first, flagging SRM and cutting long ids", async () => {
    const { out, code } = await run(["verdicts"], [shipped, early, measuring]);
    expect(code).toBe(0);
    expect(out).toBe(
      [
        "decided     week      item                            decision               lift  95 % CI              evidence       users  applied",
        "2026-12-10  2026-W50  pricing-annual-toggle-on-the-…  Rolled back early   −21.0 %  −30.0 % … −12.0 %    p < 0.001     20,080  gate pricing_annual_toggle to 0 % [SRM]",
        "2026-12-08  2026-W49  onboarding-three-steps          Ship                 +7.5 %  +2.0 % … +13.0 %     p = 0.0080    20,080  gate onboarding_three_steps to 100 %",
        "",
      ].join("\n"),
    );
  });

  it("says so when there is none yet", async () => {
    expect((await run(["verdicts"], [measuring])).out).toContain("no verdicts yet");
  });

  it("--json carries the whole verdict record", async () => {
    const { out } = await run(["verdicts", "--json"], [shipped, early]);
    const rows = JSON.parse(out);
    expect(rows.map((r: { id: string }) => r.id)).toEqual([early.id, shipped.id]);
    expect(rows[1]).toMatchObject({
      itemId: "onboarding-three-steps",
      title: shipped.item.title,
      ship: { pullRequestUrl: "https://github.com/acme/webapp/pull/12" },
      verdict: shipped.verdict,
    });
  });
});

describe("shiploop verdict <id>", () => {
  it("prints one verdict in full, by experiment id or by item id", async () => {
    const byId = await run(["verdict", shipped.id], [shipped]);
    expect(byId.out).toContain("decision    SHIP");
    expect(byId.out).toContain(
      "hypothesis  Fewer required steps before the first project raises activation.",
    );
    expect(byId.out).toContain("srm         sample ratio p = 0.57, no mismatch");
    const byItem = await run(["verdict", "onboarding-three-steps"], [shipped]);
    expect(byItem.out).toBe(byId.out);
  });

  it("says when the verdict is still due, and names an unknown id as a user error", async () => {
    expect((await run(["verdict", measuring.id], [measuring])).out).toBe(
      `${measuring.id}: measuring, no verdict yet (due 2026-12-08 09:00 UTC)\n`,
    );
    const overdue = {
      ...measuring,
      verdictDelayed: {
        reason: "gave up after 8 attempts: PostHog answered 503",
        at: "2026-12-08T09:04:00.000Z",
        retryAt: "2026-12-08T10:04:00.000Z",
        rounds: 2,
      },
    };
    expect((await run(["verdict", overdue.id], [overdue])).out).toBe(
      `${measuring.id}: measuring, no verdict yet (due 2026-12-08 09:00 UTC)\n` +
        "verdict overdue after 2 failed round(s): gave up after 8 attempts: PostHog answered 503; next try 2026-12-08 10:04 UTC\n",
    );
    const unknown = await run(["verdict", "nope"], [shipped]);
    expect(unknown.code).toBe(1);
    expect(unknown.out).toContain('no experiment or item "nope" in the ledger');
  });
});
