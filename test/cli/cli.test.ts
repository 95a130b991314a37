import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { experimentItem, gateItem, toYaml, validItem } from "../backlog/valid-item.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CLI = join(ROOT, "dist/src/cli.js");
const EXAMPLES = join(ROOT, "experiments");

/** The environment of a fresh machine: none of shiploop's settings set. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(SHIPLOOP_|GITHUB_|STATSIG_|POSTHOG_|HUBSPOT_|REDIS_URL)/.test(key)) env[key] = value;
  }
  return { ...env, ...extra };
}

function shiploop(args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: cleanEnv(env),
    encoding: "utf8",
    timeout: 20_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function newestSourceTime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceTime(path));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

beforeAll(() => {
  // test/global-setup.ts normally built dist already; build only when a source is newer, so
  // this file does not rewrite dist under other test files that are running the CLI.
  const sources = Math.max(
    newestSourceTime(join(ROOT, "src")),
    newestSourceTime(join(ROOT, "jobs")),
  );
  if (existsSync(CLI) && statSync(CLI).mtimeMs >= sources) return;
  try {
    execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "pipe", timeout: 120_000 });
  } catch (error) {
    // tsc still emits on type errors elsewhere (typecheck reports those); no CLI is fatal.
    if (!existsSync(CLI)) throw error;
  }
}, 130_000);

describe("shiploop validate", () => {
  it("exits 0 on the example backlog and lists every item", () => {
    const run = shiploop(["validate", "experiments"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const ids = readdirSync(EXAMPLES)
      .filter((n) => /\.ya?ml$/.test(n))
      .map((n) => n.replace(/\.ya?ml$/, ""));
    expect(ids.length).toBeGreaterThanOrEqual(10);
    for (const id of ids) expect(run.stdout).toMatch(new RegExp(`^ok +${id} `, "m"));
    expect(run.stdout).toContain(`${ids.length} valid item(s), 0 file(s) with errors`);
  });

  it("uses SHIPLOOP_BACKLOG_DIR when no directory is given", () => {
    const run = shiploop(["validate"], { SHIPLOOP_BACKLOG_DIR: EXAMPLES });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(EXAMPLES);
  });

  describe("on a directory with one broken file of each kind", () => {
    let dir: string;
    // file → the field path its error must name (undefined: a whole-file YAML error)
    const broken: Record<string, [string, string | undefined]> = {
      "good-one.yml": [toYaml(gateItem("good-one")), "id"], // duplicates good-one.yaml
      "wrong-id.yaml": [toYaml(gateItem("another-id")), "id"],
      "bad-stage.yaml": [toYaml({ ...gateItem("bad-stage"), stage: "growth" }), "stage"],
      "bad-split.yaml": [toYaml({ ...gateItem("bad-split"), split: 0 }), "split"],
      "no-changes.yaml": [
        toYaml({ ...validItem("no-changes"), ship: { kind: "pull-request", gate: "g" } }),
        "ship.changes",
      ],
      "deep-type.yaml": [
        toYaml({
          ...validItem("deep-type"),
          ship: {
            kind: "pull-request",
            gate: "g",
            changes: [{ path: "a.ts", replace: { find: 5, with: "x" } }],
          },
        }),
        "ship.changes[0].replace.find",
      ],
      "typo.yaml": [toYaml({ ...gateItem("typo"), splt: 20 }), "splt"],
      "bad-groups.yaml": [toYaml(experimentItem("bad-groups", [50, 40])), "ship.groups"],
      "bad-syntax.yaml": ["id: bad-syntax\ntitle: [never closed\nstage: ttv\n", undefined],
    };

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), "shiploop-cli-"));
      writeFileSync(join(dir, "good-one.yaml"), toYaml(gateItem("good-one")));
      writeFileSync(join(dir, "good-two.yaml"), toYaml(experimentItem("good-two")));
      writeFileSync(join(dir, "README.md"), "not a backlog item");
      for (const [name, [text]] of Object.entries(broken)) writeFileSync(join(dir, name), text);
    });
    afterAll(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it("exits 1, names each file and field, and still lists the good items", () => {
      const run = shiploop(["validate", dir]);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/^ok +good-one /m);
      expect(run.stdout).toMatch(/^ok +good-two /m);
      for (const [name, [, path]] of Object.entries(broken)) {
        const pattern = path
          ? new RegExp(`^error ${escapeRegExp(name)}: ${escapeRegExp(path)}: \\S`, "m")
          : new RegExp(`^error ${escapeRegExp(name)}:\\d+:\\d+: YAML syntax: `, "m");
        expect(run.stdout, name).toMatch(pattern);
      }
      expect(run.stdout).toContain(
        `2 valid item(s), ${Object.keys(broken).length} file(s) with errors, 1 non-YAML file(s) ignored`,
      );
    });

    it("prints a machine-readable report with --json", () => {
      const run = shiploop(["validate", dir, "--json"]);
      expect(run.code).toBe(1);
      const report = JSON.parse(run.stdout) as {
        items: { id: string; kind: string }[];
        errors: { file: string; path?: string; line?: number; message: string }[];
        ignored: string[];
      };
      expect(report.items.map((i) => i.id).sort()).toEqual(["good-one", "good-two"]);
      expect(new Set(report.errors.map((e) => e.file))).toEqual(new Set(Object.keys(broken)));
      expect(report.errors).toContainEqual(
        expect.objectContaining({ file: "deep-type.yaml", path: "ship.changes[0].replace.find" }),
      );
      expect(report.errors).toContainEqual(
        expect.objectContaining({ file: "bad-syntax.yaml", line: expect.any(Number) }),
      );
      expect(report.ignored).toEqual(["README.md"]);
    });
  });

  it("--json on a good backlog exits 0 with items and no errors", () => {
    const run = shiploop(["validate", "experiments", "--json"]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { items: unknown[]; errors: unknown[] };
    expect(report.items.length).toBeGreaterThanOrEqual(10);
    expect(report.errors).toEqual([]);
  });

  it("a missing directory is a one-line user error", () => {
    const run = shiploop(["validate", join(tmpdir(), "shiploop-no-such-dir")]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^shiploop: backlog directory .* does not exist/);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("a bad setting", () => {
  it.each([
    ["SHIPLOOP_WINDOW", "7x"],
    ["SHIPLOOP_HTTP_PORT", "99999"],
  ])("%s=%s exits 1 with a single stderr line and no stack trace", (name, value) => {
    const run = shiploop(["validate", "experiments"], { [name]: value });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^shiploop: ${name} .*expected`));
    expect(run.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it("never prints a secret", () => {
    const token = "ghp_cliSecretValue42";
    const run = shiploop(["validate"], { GITHUB_TOKEN: token, GITHUB_REPOSITORY: token });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("GITHUB_REPOSITORY");
    expect(run.stderr).not.toContain(token);
  });
});

describe("commands of DESIGN.md's interface contract", () => {
  const contract: [string, string[]][] = [
    ["worker", []],
    ["kick", ["--week"]],
    ["validate", ["--json"]],
    ["backlog", ["--json"]],
    ["status", ["--json"]],
    ["verdicts", ["--json"]],
    ["verdict", []],
    ["diagnose", ["--events", "--json"]],
    ["digest", ["--week"]],
    ["analyze", []],
    ["demo", ["--weeks", "--seed", "--json"]],
    ["leads", ["--json"]],
    ["pql-report", ["--json"]],
  ];

  it("the top-level help lists every command", () => {
    const run = shiploop(["--help"]);
    expect(run.code).toBe(0);
    for (const [name] of contract) expect(run.stdout).toMatch(new RegExp(`^ +${name}\\b`, "m"));
  });

  it.each(contract)("%s --help exits 0 and shows its options", (name, options) => {
    const run = shiploop([name, "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Usage: shiploop ${name}\\b`, "m"));
    for (const option of options) expect(run.stdout).toContain(option);
  });

  it("a missing argument or an unknown command is a user error (exit 1)", () => {
    expect(shiploop(["verdict"]).code).toBe(1);
    expect(shiploop(["no-such-command"]).code).toBe(1);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
