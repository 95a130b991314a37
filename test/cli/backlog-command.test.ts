import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type BacklogDeps, registerBacklog } from "../../src/cli/backlog-command.js";
import { buildConfig } from "../../src/config/config.js";
import type { VerdictObservation } from "../../src/domain/verdict-observation.js";

const dir = mkdtempSync(join(tmpdir(), "shiploop-backlog-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  process.exitCode = undefined;
});

const BACKLOG = join(dir, "experiments");
mkdirSync(BACKLOG);
const itemYaml = (id: string, stage: string, surface: string, lift: number, effort: number) => `
id: ${id}
title: Title of ${id}
hypothesis: It helps.
stage: ${stage}
surface: ${surface}
tags: [${surface}]
impact: { relativeLift: ${lift}, confidence: 0.5 }
effort: ${effort}
primaryMetric: { name: m, event: activated, type: proportion }
ship: { kind: gate, gate: ${id.replaceAll("-", "_")} }
`;
writeFileSync(
  join(BACKLOG, "onboarding-checklist.yaml"),
  itemYaml("onboarding-checklist", "activation", "onboarding", 0.08, 2),
);
writeFileSync(
  join(BACKLOG, "annual-plan.yaml"),
  itemYaml("annual-plan", "monetization", "pricing-page", 0.08, 2),
);
writeFileSync(
  join(BACKLOG, "seat-nudge.yaml"),
  itemYaml("seat-nudge", "retention", "billing", 0.2, 1),
);
writeFileSync(join(BACKLOG, "broken.yaml"), "id: broken\ntitle: [unclosed\n");

// Week 2026-W02: 100 signups, 10 activate, 10 pay; a late event closes every window.
const EVENTS = join(dir, "events.ndjson");
const line = (event: string, id: string, timestamp: string, properties?: object) =>
  JSON.stringify({ event, distinct_id: id, timestamp, ...(properties ? { properties } : {}) });
writeFileSync(
  EVENTS,
  [
    ...Array.from({ length: 100 }, (_, i) => line("signed_up", `u${i}`, "2026-01-05T09:00:00Z")),
    ...Array.from({ length: 10 }, (_, i) => line("activated", `u${i}`, "2026-01-05T09:05:00Z")),
    ...Array.from({ length: 10 }, (_, i) =>
      line("subscription_started", `u${i}`, "2026-01-05T10:00:00Z", { mrr: 50 }),
    ),
    line("session_started", "u0", "2026-03-01T00:00:00Z"),
  ].join("\n"),
);

// Onboarding changes delivered 40 % of their estimate, five times.
const observations: VerdictObservation[] = Array.from({ length: 5 }, (_, i) => ({
  itemId: `old-${i}`,
  stage: "activation",
  surface: "onboarding",
  tags: ["onboarding"],
  estimatedLift: 0.1,
  confidence: 1,
  observedLift: 0.04,
  observedSe: 0.01,
  decision: "inconclusive",
  effort: 2,
  decidedAt: "2026-01-12T09:00:00.000Z",
}));

async function run(args: string[], deps: Partial<BacklogDeps>, env: Record<string, string> = {}) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const program = new Command("shiploop").exitOverride();
  registerBacklog(program, {
    loadObservations: async () => observations,
    loadConfig: () => buildConfig({ SHIPLOOP_BACKLOG_DIR: BACKLOG, ...env }),
    stdout: (t) => stdout.push(t),
    stderr: (t) => stderr.push(t),
    ...deps,
  });
  await program.parseAsync(["backlog", ...args], { from: "user" });
  return { stdout: stdout.join(""), stderr: stderr.join(""), code: process.exitCode ?? 0 };
}

const live = {
  liveSurfaces: new Set(["billing"]),
  shippedIds: new Set<string>(),
  blockedIds: new Set<string>(),
};

describe("shiploop backlog", () => {
  it("ranks with the funnel's weights, learned calibration and live state (--json)", async () => {
    const { stdout, stderr, code } = await run(
      ["--json"],
      { loadLiveState: async () => live },
      { SHIPLOOP_EVENTS_FILE: EVENTS },
    );
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.weights).toMatchObject({ source: "funnel", weakestStage: "activation" });
    expect(report.verdictsLearned).toBe(5);
    expect(report.items.map((i: { id: string; rank: number | null }) => [i.id, i.rank])).toEqual([
      ["onboarding-checklist", 1],
      ["annual-plan", 2],
      ["seat-nudge", null],
    ]);
    const top = report.items[0];
    // 1 + 5/8 · (0.4 − 1) = 0.625 from each of its stage, surface and tag groups.
    expect(top.factors.liftCalibration).toBeCloseTo(0.625, 12);
    expect(top.title).toBe("Title of onboarding-checklist");
    expect(top.item).toBeUndefined();
    expect(top.why).toMatch(
      /^activation rate is 30 pts under benchmark \(10 % vs 40 %\), weight \d\.\d\d; onboarding changes delivered 40 % of their estimate over 5 verdicts \(lift × 0\.63\)$/,
    );
    expect(report.items[2]).toMatchObject({ eligible: false, ineligible: "surface-live" });
    expect(report.errors.map((e: { file: string }) => e.file)).toEqual(["broken.yaml"]);
    expect(stderr).toContain("skipped: broken.yaml");
    expect(stderr).toContain("1 invalid file(s) left out; run `shiploop validate`");
  });

  it("prints a table with every factor and the why line under each item", async () => {
    const { stdout, stderr } = await run([], { loadSnapshot: async () => undefined });
    expect(stdout).toContain(
      "all stages weighted 1: no events file configured (SHIPLOOP_EVENTS_FILE)",
    );
    // No live state: the billing item is eligible and, at 0.2 × 0.5 / 1 day, ranks first.
    expect(stderr).toContain("note: live state unknown");
    const lines = stdout.split("\n");
    expect(lines[1]).toMatch(
      /^\s+#\s+id\s+stage\s+lift\s+conf\s+calib\s+weight\s+reach\s+days\s+EV$/,
    );
    expect(lines[2]).toMatch(
      /^\s+1 seat-nudge\s+retention\s+20%\s+0\.50\s+×1\.00\s+1\.00\s+1\.00\s+1\s+0\.1000$/,
    );
    expect(lines[3]).toBe(
      "    retention weight 1.00 (no funnel diagnosis); no past verdicts for retention/billing/billing: author's estimate used as is",
    );
    // Calibration costs the onboarding item its place: 0.08 × 0.5 × 0.625 / 2 = 0.0125 < 0.02.
    expect(stdout).toMatch(
      /^\s+2 annual-plan\s+monetization\s+8%\s+0\.50\s+×1\.00\s+1\.00\s+1\.00\s+2\s+0\.0200$/m,
    );
    expect(stdout).toMatch(
      /^\s+3 onboarding-checklist\s+activation\s+8%\s+0\.50\s+×0\.63\s+1\.00\s+1\.00\s+2\s+0\.0125$/m,
    );
    expect(stdout).toContain("3 eligible, 0 not eligible");
  });

  it("uses the snapshot it is given instead of reading events", async () => {
    const { stdout } = await run(
      ["--json"],
      { loadSnapshot: async () => undefined },
      { SHIPLOOP_EVENTS_FILE: join(dir, "never-read.ndjson") },
    );
    expect(JSON.parse(stdout).weights.source).toBe("equal");
  });
});
