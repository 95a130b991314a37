import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";

/** A minimal valid backlog item; override what a test cares about. */
export function item(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    title: `Item ${id}`,
    hypothesis: "A test hypothesis.",
    stage: "activation",
    surface: `surface-${id}`,
    impact: { relativeLift: 0.1, confidence: 0.5 },
    effort: 2,
    primaryMetric: { name: "activated", event: "activated", type: "proportion" },
    guardrails: [
      { name: "paid", event: "subscription_started", type: "proportion", maxRelativeDrop: 0.2 },
    ],
    ship: { kind: "gate", gate: `${id.replace(/-/g, "_")}_gate` },
    sandbox: { trueRelativeLift: 0.1 },
    ...overrides,
  };
}

export function pullRequestShip(id: string): Record<string, unknown> {
  return {
    kind: "pull-request",
    repo: "acme/webapp",
    gate: `${id.replace(/-/g, "_")}_gate`,
    changes: [{ path: "src/app.ts", replace: { find: "const A = 1", with: "const A = 2" } }],
  };
}

/** Writes items into a fresh temp dir; returns the dir and a cleanup. */
export function backlogDir(items: Record<string, unknown>[]): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "shiploop-backlog-"));
  for (const entry of items) writeFileSync(join(dir, `${entry.id}.yaml`), stringify(entry));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
