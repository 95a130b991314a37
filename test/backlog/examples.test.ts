import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { readBacklogDir } from "../../src/adapters/files/read-backlog-dir.js";
import { type Backlog, validateBacklog } from "../../src/backlog/validate-backlog.js";
import { FUNNEL_STAGES } from "../../src/domain/funnel-stage.js";

const EXPERIMENTS = fileURLToPath(new URL("../../experiments", import.meta.url));

describe("the example backlog in experiments/", () => {
  let backlog: Backlog;
  let yamlFiles: string[];
  beforeAll(async () => {
    const files = await readBacklogDir(EXPERIMENTS);
    yamlFiles = files.map((f) => f.name).filter((n) => /\.ya?ml$/.test(n));
    backlog = validateBacklog(files);
  });

  it("validates every file", () => {
    expect(backlog.errors).toEqual([]);
    expect(backlog.items).toHaveLength(yamlFiles.length);
    expect(backlog.items.length).toBeGreaterThanOrEqual(10);
  });

  it("covers every funnel stage", () => {
    const stages = new Set(backlog.items.map((i) => i.stage));
    expect([...stages].sort()).toEqual([...FUNNEL_STAGES].sort());
  });

  it("covers every ship kind, with at least two items of each", () => {
    const count = (kind: string) => backlog.items.filter((i) => i.ship.kind === kind).length;
    for (const kind of ["pull-request", "gate", "experiment"]) {
      expect(count(kind), kind).toBeGreaterThanOrEqual(2);
    }
  });

  it("uses each surface at most twice", () => {
    const uses = new Map<string, number>();
    for (const item of backlog.items) uses.set(item.surface, (uses.get(item.surface) ?? 0) + 1);
    for (const [surface, n] of uses) expect(n, surface).toBeLessThanOrEqual(2);
  });

  it("looks like a real backlog: guardrails, sandbox truths, some losers, partial reach", () => {
    for (const item of backlog.items) {
      expect(item.guardrails.length, item.id).toBeGreaterThan(0);
      expect(item.sandbox, item.id).toBeDefined();
      expect(item.impact.relativeLift, item.id).toBeGreaterThanOrEqual(0.02);
      expect(item.impact.relativeLift, item.id).toBeLessThanOrEqual(0.15);
    }
    const truths = backlog.items.map((i) => i.sandbox?.trueRelativeLift ?? 0);
    expect(truths.filter((t) => t <= 0.005).length).toBeGreaterThanOrEqual(2);
    expect(backlog.items.filter((i) => i.reach < 1).length).toBeGreaterThanOrEqual(2);
  });

  it("gives every pull-request item a repo, a gate and changes that carry the gate", () => {
    for (const item of backlog.items) {
      if (item.ship.kind !== "pull-request") continue;
      expect(item.ship.repo, item.id).toMatch(/^[\w.-]+\/[\w.-]+$/);
      const text = item.ship.changes
        .map((c) => ("replace" in c ? c.replace.with : c.content))
        .join("\n");
      expect(text, item.id).toContain(item.ship.gate);
    }
  });
});
