import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CLI = join(ROOT, "dist/src/cli.js");
const EXAMPLES = join(ROOT, "experiments");

/** `shiploop validate` as a user runs it: a fresh environment, only these settings. */
function validate(args: string[], env: Record<string, string> = {}, cwd = ROOT) {
  const clean: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(SHIPLOOP_|GITHUB_|STATSIG_|POSTHOG_|HUBSPOT_|REDIS_URL)/.test(key)) clean[key] = value;
  }
  const run = spawnSync(process.execPath, [CLI, "validate", ...args], {
    cwd,
    env: { ...clean, ...env },
    encoding: "utf8",
    timeout: 20_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const GOOD = `id: good-rule
title: Viewed pricing twice
within: 7d
score: 40
all:
  - event: viewed_pricing
    atLeast: 2
`;
const TYPO = `id: typo-rule
title: A rule with a typo
within: 48h
score: 50
all:
  - event: saved_workflow
    atleast: 2
`;
const BAD_SCORE = `id: bad-score
title: Score out of range
within: 48h
score: 150
all: [{ event: viewed_pricing }]
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "shiploop-validate-pql-"));
  mkdirSync(join(dir, "rules"));
  writeFileSync(join(dir, "rules", "good-rule.yaml"), GOOD);
  writeFileSync(join(dir, "rules", "typo-rule.yaml"), TYPO);
  writeFileSync(join(dir, "rules", "bad-score.yaml"), BAD_SCORE);
  writeFileSync(join(dir, "rules", "NOTES.md"), "not a rule");
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("shiploop validate checks the PQL rules too", () => {
  it("lists the shipped rules and exits 0", () => {
    const run = validate([]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    for (const id of ["account-expansion", "team-adoption", "usage-limit"])
      expect(run.stdout).toMatch(new RegExp(`^ok +${id} +(user|account) rule`, "m"));
    expect(run.stdout).toContain("3 valid PQL rule(s), 0 file(s) with errors");
  });

  it("exits 1 on a bad rule file, naming the file, the field path and line:col", () => {
    const rules = join(dir, "rules");
    const run = validate([EXAMPLES], { SHIPLOOP_PQL_DIR: rules });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^ok +good-rule +user rule +score 40 /m);
    expect(run.stdout).toContain(
      `error ${join(rules, "typo-rule.yaml")}:7:14: all[0].atleast: unknown field; did you mean "atLeast"?`,
    );
    expect(run.stdout).toContain(
      `error ${join(rules, "bad-score.yaml")}:4:8: score: expected 0..100`,
    );
    expect(run.stdout).toContain(
      `1 valid PQL rule(s), 2 file(s) with errors, 1 non-YAML file(s) ignored in ${rules}`,
    );
    // The backlog is still reported in full.
    expect(run.stdout).toContain("11 valid item(s), 0 file(s) with errors");
  });

  it("reports the rule errors in --json with file, path, line and column", () => {
    const rules = join(dir, "rules");
    const run = validate([EXAMPLES, "--json"], { SHIPLOOP_PQL_DIR: rules });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.errors).toEqual([]);
    expect(report.pql.rules.map((r: { id: string }) => r.id)).toEqual(["good-rule"]);
    expect(report.pql.errors).toContainEqual({
      file: join(rules, "typo-rule.yaml"),
      path: "all[0].atleast",
      line: 7,
      column: 14,
      message: expect.stringContaining('unknown field; did you mean "atLeast"?'),
    });
  });

  it("exits 1 when SHIPLOOP_PQL_DIR names a directory that does not exist", () => {
    const missing = join(dir, "no-such-rules");
    const run = validate([EXAMPLES], { SHIPLOOP_PQL_DIR: missing });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`error PQL rule directory ${missing} does not exist`);
    expect(run.stdout).toContain("SHIPLOOP_PQL_DIR");
  });

  it("takes a missing default ./pql for no rules", () => {
    const run = validate([EXAMPLES], {}, dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("no PQL rules: ./pql does not exist");
  });
});
