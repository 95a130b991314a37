import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { bundledExampleEvents, registerDiagnose } from "../../src/cli/diagnose-command.js";
import { buildConfig } from "../../src/config/config.js";
import { DiagnoseSettingsSchema } from "../../src/diagnose/diagnose-settings.js";
import type { FunnelSnapshot } from "../../src/domain/funnel-snapshot.js";

const dir = mkdtempSync(join(tmpdir(), "shiploop-diagnose-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

// Week 2026-W02: 10 signups, 2 activate (after 5 and 15 min), plus one line that is not JSON.
const EVENTS = join(dir, "small.ndjson");
writeFileSync(
  EVENTS,
  [
    ...Array.from({ length: 10 }, (_, i) =>
      JSON.stringify({
        event: "signed_up",
        distinct_id: `u${i}`,
        timestamp: "2026-01-05T09:00:00Z",
      }),
    ),
    JSON.stringify({ event: "activated", distinct_id: "u0", timestamp: "2026-01-05T09:05:00Z" }),
    JSON.stringify({ event: "activated", distinct_id: "u1", timestamp: "2026-01-05T09:15:00Z" }),
    "oops",
    // A late event so that the cohort's 7-day window has closed.
    JSON.stringify({
      event: "session_started",
      distinct_id: "u0",
      timestamp: "2026-03-01T00:00:00Z",
    }),
  ].join("\n"),
);

async function run(args: string[], env: Record<string, string> = {}, example?: string) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const program = new Command("shiploop").exitOverride();
  registerDiagnose(program, {
    loadConfig: () => buildConfig(env),
    stdout: (t) => stdout.push(t),
    stderr: (t) => stderr.push(t),
    ...(example ? { exampleEventsFile: example } : {}),
  });
  await program.parseAsync(["diagnose", ...args], { from: "user" });
  return { stdout: stdout.join(""), stderr: stderr.join(""), code: process.exitCode ?? 0 };
}

describe("shiploop diagnose", () => {
  it("prints the snapshot as JSON for --events FILE --json", async () => {
    const { stdout, stderr, code } = await run(["--events", EVENTS, "--json"]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    const report = JSON.parse(stdout) as FunnelSnapshot & { eventsFile: string };
    expect(report.eventsFile).toBe(EVENTS);
    expect(report.stages.activation.value).toBe(0.2);
    expect(report.stages.ttv.value).toBe(10); // median of 5 and 15 minutes
    expect(report.events).toMatchObject({
      read: 14,
      bad: 1,
      badByReason: { "not-json": 1 },
      ignored: 1,
    });
    expect(report.weakestStage).toBe("monetization"); // nobody paid: 0 % against 2 %
  });

  it("prints a table with the weakest stage and every cohort", async () => {
    const { stdout } = await run(["--events", EVENTS]);
    expect(stdout).toContain(`Events: ${EVENTS}`);
    expect(stdout).toContain(
      "14 events read: 12 used, 1 not used by any metric, 1 bad (not-json 1)",
    );
    expect(stdout).toMatch(/^activation rate\s+20 %\s+40 %\s+50 %/m);
    expect(stdout).toContain(
      "Weakest stage: free-to-paid conversion is 2 pts under benchmark (0 % vs 2–5 % freemium).",
    );
    expect(stdout).toMatch(/^2026-W02\s+10\s+20 %\s+10m\s+12.5m/m);
  });

  it("reads SHIPLOOP_EVENTS_FILE when --events is not given", async () => {
    const { stdout, stderr } = await run(["--json"], { SHIPLOOP_EVENTS_FILE: EVENTS });
    expect(stderr).toBe("");
    expect(JSON.parse(stdout).eventsFile).toBe(EVENTS);
  });

  it("falls back to the bundled example with a note", async () => {
    const { stdout, stderr } = await run(["--json"], {}, EVENTS);
    expect(stderr).toContain("note: no events file configured");
    expect(stderr).toContain(`diagnosing the bundled example ${EVENTS}`);
    expect(JSON.parse(stdout).eventsFile).toBe(EVENTS);
  });

  it("uses the diagnose settings it is given", async () => {
    const program = new Command("shiploop").exitOverride();
    let out = "";
    registerDiagnose(program, {
      loadConfig: () => buildConfig({}),
      diagnoseSettings: () => DiagnoseSettingsSchema.parse({ model: "trial" }),
      stdout: (t) => {
        out += t;
      },
    });
    await program.parseAsync(["diagnose", "--events", EVENTS, "--json"], { from: "user" });
    expect(JSON.parse(out).stages.monetization.benchmarkText).toBe("10–25 % trial");
  });

  it("ends with exit 1 and one clear line for a missing file", async () => {
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const missing = join(dir, "missing.ndjson");
    const { code, stdout } = await run(["--events", missing]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toHaveBeenCalledWith(
      `shiploop: events file ${missing} does not exist (SHIPLOOP_EVENTS_FILE or --events)\n`,
    );
  });
});

describe("the bundled example", () => {
  it("has ≥ 50k events whose activation decays and leaks most", async () => {
    const { stdout } = await run(["--events", bundledExampleEvents(), "--json"]);
    const s = JSON.parse(stdout) as FunnelSnapshot;
    expect(s.events.read).toBeGreaterThanOrEqual(50_000);
    expect(s.events.bad).toBeGreaterThan(0);
    expect(s.activationTrend.first?.rate).toBeGreaterThan(0.3);
    expect(s.activationTrend.last?.rate).toBeLessThan(0.23);
    expect(s.weakestStage).toBe("activation");
  });
});
