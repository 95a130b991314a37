import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readBacklogDir } from "../../src/adapters/files/read-backlog-dir.js";
import { validateBacklog } from "../../src/backlog/validate-backlog.js";
import { UserError } from "../../src/domain/errors.js";
import { experimentItem, gateItem, toYaml, validItem } from "./valid-item.js";

const file = (name: string, data: unknown) => ({ name, text: toYaml(data) });

describe("validateBacklog", () => {
  it("an empty backlog is not an error", () => {
    expect(validateBacklog([])).toEqual({ items: [], errors: [], ignored: [] });
  });

  it("reports a duplicated id once, on the second file, and keeps the first", () => {
    const backlog = validateBacklog([file("a.yml", gateItem("a")), file("a.yaml", gateItem("a"))]);
    expect(backlog.items.map((i) => i.id)).toEqual(["a"]);
    expect(backlog.errors).toEqual([
      { file: "a.yml", path: "id", message: 'duplicate id "a", already used by a.yaml' },
    ]);
  });

  it("ignores files that are not YAML, and says which", () => {
    const backlog = validateBacklog([
      file("a.yaml", gateItem("a")),
      { name: "README.md", text: "# the backlog\n: not yaml {" },
      { name: "notes.txt", text: "" },
      { name: ".DS_Store", text: "\u0000\u0001" },
    ]);
    expect(backlog.items).toHaveLength(1);
    expect(backlog.errors).toEqual([]);
    expect(backlog.ignored).toEqual([".DS_Store", "notes.txt", "README.md"]);
  });

  it("loads the good files next to the bad ones and reports each bad file", () => {
    const backlog = validateBacklog([
      file("good-one.yaml", gateItem("good-one")),
      file("bad-stage.yaml", { ...gateItem("bad-stage"), stage: "growth" }),
      { name: "bad-syntax.yaml", text: "id: bad-syntax\ntitle: [oops\n" },
      file("wrong-name.yaml", gateItem("other-name")),
      file("bad-split.yaml", { ...gateItem("bad-split"), split: 100 }),
      file("bad-groups.yaml", experimentItem("bad-groups", [60, 60])),
      file("good-two.yml", experimentItem("good-two")),
      file("no-changes.yaml", {
        ...validItem("no-changes"),
        ship: { kind: "pull-request", gate: "g" },
      }),
    ]);
    expect(backlog.items.map((i) => i.id).sort()).toEqual(["good-one", "good-two"]);
    const byFile = Object.fromEntries(backlog.errors.map((e) => [e.file, e]));
    expect(Object.keys(byFile).sort()).toEqual([
      "bad-groups.yaml",
      "bad-split.yaml",
      "bad-stage.yaml",
      "bad-syntax.yaml",
      "no-changes.yaml",
      "wrong-name.yaml",
    ]);
    expect(byFile["bad-stage.yaml"]?.path).toBe("stage");
    expect(byFile["bad-split.yaml"]?.path).toBe("split");
    expect(byFile["bad-groups.yaml"]?.path).toBe("ship.groups");
    expect(byFile["no-changes.yaml"]?.path).toBe("ship.changes");
    expect(byFile["wrong-name.yaml"]?.path).toBe("id");
    expect(byFile["bad-syntax.yaml"]?.line).toBeGreaterThan(0);
  });

  it("is independent of the order the files come in", () => {
    const files = [file("b.yaml", gateItem("b")), file("a.yaml", gateItem("a"))];
    const forward = validateBacklog(files);
    const backward = validateBacklog([...files].reverse());
    expect(forward).toEqual(backward);
    expect(forward.items.map((i) => i.id)).toEqual(["a", "b"]);
  });
});

describe("readBacklogDir", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "shiploop-backlog-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("an empty directory gives an empty, error-free backlog", async () => {
    expect(validateBacklog(await readBacklogDir(dir))).toEqual({
      items: [],
      errors: [],
      ignored: [],
    });
  });

  it("reads YAML files, names the others, and skips sub-directories", async () => {
    await writeFile(join(dir, "a.yaml"), toYaml(gateItem("a")));
    await writeFile(join(dir, "notes.md"), "# notes");
    await mkdir(join(dir, "archive.yaml"));
    const files = await readBacklogDir(dir);
    expect(files.map((f) => f.name).sort()).toEqual(["a.yaml", "notes.md"]);
    const backlog = validateBacklog(files);
    expect(backlog.items.map((i) => i.id)).toEqual(["a"]);
    expect(backlog.ignored).toEqual(["notes.md"]);
  });

  it.each([
    ["a missing directory", "missing", /does not exist/],
    ["a file", "file.yaml", /is not a directory/],
  ])("%s is a user error naming the directory", async (_name, entry, message) => {
    await writeFile(join(dir, "file.yaml"), "");
    const path = join(dir, entry);
    const error = await readBacklogDir(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(path);
  });
});
