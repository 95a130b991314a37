import { describe, expect, it } from "vitest";
import { formatBacklogError } from "../../src/backlog/backlog-error.js";
import {
  idFromFileName,
  isBacklogFileName,
  parseBacklogItem,
} from "../../src/backlog/parse-item.js";
import { experimentItem, gateItem, toYaml, validItem } from "./valid-item.js";

type Data = Record<string, unknown>;
const ID = "onboarding-three-steps";
const FILE = `${ID}.yaml`;

function parse(data: unknown, file = FILE) {
  return parseBacklogItem(file, toYaml(data));
}

function errorsOf(result: ReturnType<typeof parseBacklogItem>) {
  if (result.ok) throw new Error("expected the item to be rejected");
  return result.errors;
}

function withShip(change: (ship: Data) => void): Data {
  const item = validItem(ID);
  change(item.ship as Data);
  return item;
}

describe("parseBacklogItem accepts", () => {
  it("the item of DESIGN.md, with defaults filled in", () => {
    const result = parse(validItem(ID));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.item.id).toBe(ID);
    expect(result.item.reach).toBe(1);
    expect(result.item.primaryMetric.higherIsBetter).toBe(true);
    expect(result.item.ship).toMatchObject({ kind: "pull-request", reviewers: [] });
  });

  it.each([
    ["gate", gateItem(ID)],
    ["experiment", experimentItem(ID, [34, 33, 33])],
    ["content change", withShip((s) => (s.changes = [{ path: "src/new.ts", content: "x" }]))],
  ])("a %s item", (_kind, data) => {
    expect(parse(data).ok).toBe(true);
  });

  it("defaults split to 50 and leaves window unset when absent", () => {
    const { split: _s, window: _w, ...rest } = validItem(ID);
    const result = parse(rest);
    expect(result.ok && result.item.split).toBe(50);
    expect(result.ok && result.item.window).toBeUndefined();
  });

  it("a .yml file whose id matches its name", () => {
    expect(parse(validItem(ID), `${ID}.yml`).ok).toBe(true);
  });
});

describe("parseBacklogItem reports", () => {
  // Each case: the broken item, the field path that must be named, what the message must say.
  const cases: [string, Data, string | undefined, RegExp, string?][] = [
    [
      "an id that does not match the file name",
      validItem("three-steps"),
      "id",
      /"three-steps" must equal the file name "onboarding-three-steps"/,
    ],
    [
      "an id that is not kebab-case",
      validItem("Onboarding_3"),
      "id",
      /kebab-case/,
      "Onboarding_3.yaml",
    ],
    [
      "an unknown stage, listing the allowed ones",
      { ...validItem(ID), stage: "growth" },
      "stage",
      /expected one of ttv, activation, pql, monetization, retention, got "growth"/,
    ],
    ["split 0", { ...validItem(ID), split: 0 }, "split", /1\.\.99/],
    ["split 100", { ...validItem(ID), split: 100 }, "split", /1\.\.99/],
    ["split 50.5", { ...validItem(ID), split: 50.5 }, "split", /whole percentage/],
    [
      "a pull-request without changes",
      withShip((s) => delete s.changes),
      "ship.changes",
      /pull-request item needs `changes`/,
    ],
    [
      "a pull-request with empty changes",
      withShip((s) => (s.changes = [])),
      "ship.changes",
      /at least one change/,
    ],
    [
      "a wrong type deep inside a change",
      withShip((s) => (s.changes = [{ path: "a.ts", replace: { find: 5, with: "3" } }])),
      "ship.changes[0].replace.find",
      /expected a string, got 5/,
    ],
    [
      "a missing field deep inside a change",
      withShip((s) => (s.changes = [{ path: "a.ts", replace: { with: "3" } }])),
      "ship.changes[0].replace.find",
      /missing; expected a string/,
    ],
    [
      "a change that is neither replace nor content",
      withShip((s) => (s.changes = [{ path: "a.ts" }])),
      "ship.changes[0]",
      /either `replace: \{ find, with \}` or `content`/,
    ],
    [
      "an unknown top-level field (a typo), with a suggestion",
      { ...validItem(ID), splt: 20 },
      "splt",
      /unknown field; did you mean "split"\?/,
    ],
    [
      "an unknown nested field",
      { ...validItem(ID), impact: { relativeLift: 0.1, confidence: 0.5, confidance: 0.5 } },
      "impact.confidance",
      /unknown field; did you mean "confidence"\? expected one of relativeLift, confidence/,
    ],
    [
      "an unknown field inside a ship of a given kind",
      { ...gateItem(ID), ship: { kind: "gate", gate: "g", changes: [] } },
      "ship.changes",
      /unknown field; expected one of kind, gate$/,
    ],
    [
      "experiment groups that do not add up to 100",
      experimentItem(ID, [50, 40]),
      "ship.groups",
      /group sizes must add up to 100/,
    ],
    ["an experiment with one group", experimentItem(ID, [100]), "ship.groups", /at least two/],
    [
      "an unknown ship kind",
      { ...validItem(ID), ship: { kind: "flag", gate: "g" } },
      "ship.kind",
      /expected one of pull-request, gate, experiment, got "flag"/,
    ],
    [
      "a missing required field",
      (() => {
        const { title: _t, ...rest } = validItem(ID);
        return rest;
      })(),
      "title",
      /missing; expected a string/,
    ],
    ["a number given as text", { ...validItem(ID), effort: "two" }, "effort", /expected a number/],
    [
      "confidence above 1",
      { ...validItem(ID), impact: { relativeLift: 0.1, confidence: 1.5 } },
      "impact.confidence",
      /1/,
    ],
    ["a bad window", { ...validItem(ID), window: "a week" }, "window", /ms, s, m, h or d/],
    ["reach of 0", { ...validItem(ID), reach: 0 }, "reach", /0/],
    [
      "a bad guardrail drop",
      {
        ...validItem(ID),
        guardrails: [{ name: "p", event: "e", type: "proportion", maxRelativeDrop: 2 }],
      },
      "guardrails[0].maxRelativeDrop",
      /1/,
    ],
    [
      "a repo that is not owner/name",
      withShip((s) => (s.repo = "webapp")),
      "ship.repo",
      /expected owner\/name/,
    ],
  ];

  it.each(cases)("%s", (_name, data, path, message, file = FILE) => {
    const errors = errorsOf(parse(data, file));
    const named = errors.filter((e) => e.path === path);
    expect(named, JSON.stringify(errors)).toHaveLength(1);
    expect(named[0]?.message).toMatch(message);
    for (const error of errors) expect(error.file).toBe(file);
  });

  it("every problem of one file at once", () => {
    const errors = errorsOf(parse({ ...validItem(ID), stage: "growth", split: 0, extra: 1 }));
    expect(errors.map((e) => e.path).sort()).toEqual(["extra", "split", "stage"]);
  });

  it.each([
    ["an unclosed flow mapping", `id: ${ID}\nship: { kind: gate, gate: g\ntitle: T\n`, 3, 1],
    ["a mapping nested in a plain value", `id: ${ID}\ntitle: T\n  stage: ttv\n`, 2, 8],
    ["a tab as indentation", `id: ${ID}\ntitle: T\n\tstage: ttv\n`, 3, 1],
    ["a duplicated key", `id: ${ID}\ntitle: A\ntitle: B\n`, 3, 1],
    ["a stray closing bracket", `id: ${ID}\ntitle: T\nstage: ]\n`, 3, 8],
  ])("a YAML syntax error with line and column: %s", (_name, text, line, column) => {
    const [error, ...rest] = errorsOf(parseBacklogItem(FILE, text));
    expect(error).toMatchObject({ file: FILE, line, column });
    expect(error?.message).toMatch(/^YAML syntax: /);
    expect(error?.message).not.toContain("\n");
    expect(formatBacklogError(error ?? { file: "", message: "" })).toMatch(
      new RegExp(`^${FILE}:${line}:${column}: YAML syntax: `),
    );
    for (const e of rest) expect(e.line).toBeGreaterThan(0);
  });

  it.each([
    ["an empty file", ""],
    ["a comment only", "# nothing yet\n"],
    ["a list", "- id: a\n"],
    ["a scalar", "just text\n"],
  ])("a file that is not a mapping: %s", (_name, text) => {
    const errors = errorsOf(parseBacklogItem(FILE, text));
    expect(errors).toEqual([{ file: FILE, message: expect.stringMatching(/expected a mapping/) }]);
  });

  it("an alias bomb without hanging or throwing", () => {
    const lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 0; i < 8; i++) {
      const prev = String.fromCharCode(97 + i);
      const next = String.fromCharCode(98 + i);
      lines.push(`${next}: &${next} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`);
    }
    const errors = errorsOf(parseBacklogItem(FILE, `${lines.join("\n")}\n`));
    expect(errors[0]?.message).toMatch(/^YAML/);
  });
});

describe("formatBacklogError", () => {
  it("names the file, the field path and the message on one line", () => {
    expect(formatBacklogError({ file: "a.yaml", path: "ship.gate", message: "missing" })).toBe(
      "a.yaml: ship.gate: missing",
    );
  });
});

describe("backlog file names", () => {
  it.each([
    ["a.yaml", true, "a"],
    ["a.yml", true, "a"],
    ["A.YAML", true, "A"],
    ["a.json", false, "a.json"],
    ["README.md", false, "README.md"],
    ["a.yaml.bak", false, "a.yaml.bak"],
  ])("%s", (name, isYaml, id) => {
    expect(isBacklogFileName(name)).toBe(isYaml);
    expect(idFromFileName(name)).toBe(id);
  });
});
