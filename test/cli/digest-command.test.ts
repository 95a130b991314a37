import { afterEach, describe, expect, it } from "vitest";
import { type DigestLedger, registerDigest } from "../../src/cli/digest-command.js";
import { buildConfig } from "../../src/config/config.js";
import type { ExperimentRecord, WeekRecord } from "../../src/domain/experiment.js";
import { fixedExperiment } from "../render/verdict-fixtures.js";
import { runCommand } from "../support/run-command.js";

afterEach(() => {
  process.exitCode = undefined;
});

/** The digest over these records; a user error's line on stderr is part of `out`. */
async function run(args: string[], experiments: ExperimentRecord[], weeks: WeekRecord[] = []) {
  const ledger: DigestLedger = {
    listExperiments: async () => experiments,
    getWeek: async (week) => weeks.find((w) => w.week === week),
  };
  const { out, err, code } = await runCommand(
    (program, stdout) =>
      registerDigest(program, {
        loadConfig: () => buildConfig({}),
        withLedger: (_config, use) => use(ledger),
        now: () => new Date("2026-12-09T10:00:00Z"),
        stdout,
      }),
    args,
  );
  return { out: out + err, code };
}

describe("shiploop digest", () => {
  const decided = fixedExperiment(); // verdict 2026-12-08, in 2026-W50
  const week: WeekRecord = {
    week: "2026-W50",
    kickedAt: "2026-12-07T09:00:00Z",
    blocked: [],
    idleReason: "no eligible backlog item",
  };

  it("summarises the current week by default, with each verdict in full", async () => {
    const { out, code } = await run(["digest"], [decided], [week]);
    expect(code).toBe(0);
    expect(out).toContain("# shiploop digest — 2026-W50");
    expect(out).toContain("**Started this week:** nothing — no eligible backlog item");
    expect(out).toContain("**Verdicts this week:** 1 — 1 ship");
    expect(out).toContain("## shiploop verdict: Ship — Cut onboarding from five steps to three");
  });

  it("takes --week, and rejects a week that is not YYYY-Www", async () => {
    expect((await run(["digest", "--week", "2026-W49"], [decided])).out).toContain(
      "**Verdicts this week:** none",
    );
    const bad = await run(["digest", "--week", "2026-49"], [decided]);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('--week "2026-49" is not an ISO week; expected YYYY-Www');
  });
});
