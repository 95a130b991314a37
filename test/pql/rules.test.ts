import { describe, expect, it } from "vitest";
import { formatBacklogError } from "../../src/backlog/backlog-error.js";
import { readRulesDir } from "../../src/pql/read-rules-dir.js";
import { validateRules } from "../../src/pql/validate-rules.js";

const errorsOf = (name: string, text: string) =>
  validateRules([{ name, text }]).errors.map(formatBacklogError);

const base = `id: r1
title: A rule
within: 48h
score: 50
`;

describe("pql/*.yaml", () => {
  it("ships valid, realistic rules", async () => {
    const set = validateRules(await readRulesDir("pql"));
    expect(set.errors).toEqual([]);
    expect(set.rules.map((r) => [r.id, r.level])).toEqual([
      ["account-expansion", "account"],
      ["team-adoption", "user"],
      ["usage-limit", "user"],
    ]);
  });

  it.each([
    [
      `${base}all:\n  - event: saved_workflow\n    atleast: 2\n`,
      'r1.yaml:7:14: all[0].atleast: unknown field; did you mean "atLeast"?',
    ],
    [
      `${base}all:\n  - event: saved_workflow\n    atLeast: 0\n`,
      "r1.yaml:7:14: all[0].atLeast: expected a whole number ≥ 1",
    ],
    [`${base}all:\n  - { not: { event: x } }\n`, "r1.yaml:6:3: all: only negative conditions"],
    [`${base}`, "r1.yaml:1:1: missing condition; expected exactly one of all, any or not"],
    [
      `${base.replace("48h", "two days")}all: [{event: x}]\n`,
      "r1.yaml:3:9: within: is not a duration",
    ],
    [`${base.replace("50", "150")}all: [{event: x}]\n`, "r1.yaml:4:8: score: expected 0..100"],
    [
      `${base}all:\n  - event: x\n    where: { plan: { gte: } }\n`,
      "r1.yaml:7:20: all[0].where.plan: expected a value or a test",
    ],
    [`${base}all:\n  - evnt: x\n`, "all[0].evnt: unknown field"],
    [`${base}all: [{event: x}]\nlevel: team\n`, "level: expected one of user, account"],
    [
      `${base.replace("id: r1", "id: other")}all: [{event: x}]\n`,
      'id: "other" must equal the file name "r1"',
    ],
    [`id: r1\n  title: [`, "r1.yaml:2:"],
  ])("explains %j", (text, expected) => {
    expect(errorsOf("r1.yaml", text).join("\n")).toContain(expected);
  });

  it("keeps the good files when one is bad", () => {
    const set = validateRules([
      { name: "a.yaml", text: "id: a\ntitle: A\nwithin: 1d\nscore: 5\nall: [{event: x}]\n" },
      { name: "b.yaml", text: "id: b\n" },
      { name: "README.md", text: "" },
    ]);
    expect(set.rules.map((r) => r.id)).toEqual(["a"]);
    expect(set.errors.every((e) => e.file === "b.yaml")).toBe(true);
    expect(set.ignored).toEqual(["README.md"]);
  });
});
