import { afterEach, describe, expect, it } from "vitest";
import { VERDICT_ROUND_DELAY_MS } from "../../jobs/delay-verdict.js";
import { SandboxMetrics } from "../../src/adapters/sandbox/sandbox-metrics.js";
import { TransientError, UserError } from "../../src/domain/errors.js";
import type { CodeHost, FlagStore, MetricsSource } from "../../src/domain/ports.js";
import { jobIds } from "../../src/queue/job-payloads.js";
import { backlogDir, item, pullRequestShip } from "../support/backlog-dir.js";
import { waitFor } from "../support/redis.js";
import { type TestRuntime, testRuntime } from "../support/test-runtime.js";

const WEEK = "2026-W49";
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setup(
  items: Record<string, unknown>[],
  options: Parameters<typeof testRuntime>[2] = {},
): TestRuntime {
  const backlog = backlogDir(items);
  const runtime = testRuntime("cycle", backlog.dir, options);
  cleanups.push(backlog.remove, () => runtime.close());
  return runtime;
}

function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error("used before set up");
  return value;
}

async function decided(runtime: TestRuntime, id: string) {
  return waitFor(`a verdict for ${id}`, async () => {
    const experiment = await runtime.ctx.ledger.getExperiment(id);
    return experiment?.verdict && (await runtime.ctx.ledger.listObservations()).length > 0
      ? experiment
      : undefined;
  });
}

describe("the weekly cycle", () => {
  it("runs kick → ship → measure → verdict → learn for a gate item, and a week runs once however often it is kicked", async () => {
    const runtime = setup([item("winner", { sandbox: { trueRelativeLift: 0.3 } })]);
    await Promise.all([runtime.ctx.queue.kickoff(WEEK), runtime.ctx.queue.kickoff(WEEK)]);
    runtime.start();
    await runtime.ctx.queue.kickoff(WEEK);
    const experiment = await decided(runtime, `${WEEK}--winner`);

    expect(experiment.history.map((h) => h.status)).toEqual([
      "planned",
      "shipping",
      "measuring",
      "decided",
    ]);
    expect(experiment.verdict?.decision).toBe("ship");
    expect(experiment.verdict?.applied).toBe("gate winner_gate to 100 %");
    expect(experiment.checks.length).toBeGreaterThan(0);
    expect(await runtime.flags.writes()).toEqual(["gate winner_gate 50", "gate winner_gate 100"]);
    expect(await runtime.ctx.ledger.listExperiments()).toHaveLength(1);
    expect(await runtime.ctx.ledger.liveSurfaces()).toEqual({});
    const [observation] = await runtime.ctx.ledger.listObservations();
    expect(observation).toMatchObject({ itemId: "winner", decision: "ship", estimatedLift: 0.1 });
    expect(observation?.observedLift).toBeGreaterThan(0.15);

    // Kicked again after it finished, under a job id BullMQ has not seen: the ledger's week
    // record, not the queue, keeps it to one experiment and no new writes.
    await runtime.ctx.queue.kickoff(WEEK, 5);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await runtime.ctx.ledger.listExperiments()).toHaveLength(1);
    expect(await runtime.flags.writes()).toHaveLength(2);
  });

  it("opens a pull request, waits for its merge, then opens the gate to the split", async () => {
    const runtime = setup(
      [item("checkout-copy", { ship: pullRequestShip("checkout-copy"), split: 30 })],
      {
        mergeDelayMs: 400,
      },
    );
    runtime.start();
    await runtime.ctx.queue.kickoff(WEEK);
    const experiment = await decided(runtime, `${WEEK}--checkout-copy`);

    expect(experiment.history.map((h) => h.status)).toEqual([
      "planned",
      "shipping",
      "awaiting-merge",
      "measuring",
      "decided",
    ]);
    const prs = await runtime.codeHost.list();
    expect(prs).toHaveLength(1);
    expect(prs[0]).toMatchObject({
      branch: "shiploop/checkout-copy",
      repo: "acme/webapp",
      files: ["src/app.ts"],
    });
    expect(prs[0]?.body).toContain("<!-- shiploop:item=checkout-copy -->");
    expect(prs[0]?.comments.verdict).toContain("shiploop verdict");
    expect((await runtime.flags.writes())[0]).toBe("gate checkout_copy_gate 30");
  });

  it("blocks an item whose change cannot be applied and moves the week to the next item", async () => {
    const stale: CodeHost = {
      mode: "sandbox",
      ensurePullRequest: async () => {
        throw new UserError("patch-stale", 'src/app.ts: "const A = 1" is not in the file at main');
      },
      pullRequestState: async () => "open",
      ensureComment: async () => undefined,
    };
    const runtime = setup(
      [
        item("best-but-stale", {
          ship: pullRequestShip("best-but-stale"),
          impact: { relativeLift: 0.5, confidence: 1 },
        }),
        item("second-best"),
      ],
      { overrides: { codeHost: stale } },
    );
    runtime.start();
    await runtime.ctx.queue.kickoff(WEEK);
    await decided(runtime, `${WEEK}--second-best`);

    const blocked = await runtime.ctx.ledger.getExperiment(`${WEEK}--best-but-stale`);
    expect(blocked?.status).toBe("blocked");
    expect(blocked?.blockedReason).toContain("const A = 1");
    expect(blocked?.writes["pull-request"]?.state).toBe("intent");
    const week = await runtime.ctx.ledger.getWeek(WEEK);
    expect(week).toMatchObject({
      experimentId: `${WEEK}--second-best`,
      blocked: ["best-but-stale"],
    });
  });

  it("blocks an item whose code host keeps failing once the retries are used up, and moves on", async () => {
    const down: CodeHost = {
      mode: "sandbox",
      ensurePullRequest: async () => {
        throw new TransientError("github-unavailable", "GitHub answered 502 for acme/webapp");
      },
      pullRequestState: async () => "open",
      ensureComment: async () => undefined,
    };
    const runtime = setup(
      [
        item("host-down", {
          ship: pullRequestShip("host-down"),
          impact: { relativeLift: 0.5, confidence: 1 },
        }),
        item("gate-instead"),
      ],
      { overrides: { codeHost: down } },
    );
    runtime.start();
    await runtime.ctx.queue.kickoff(WEEK);
    await decided(runtime, `${WEEK}--gate-instead`);
    const blocked = await runtime.ctx.ledger.getExperiment(`${WEEK}--host-down`);
    expect(blocked?.status).toBe("blocked");
    expect(blocked?.blockedReason).toBe(
      "gave up after 2 attempts: GitHub answered 502 for acme/webapp",
    );
    expect(blocked?.writes["pull-request"]).toMatchObject({ state: "intent" });
  });

  it("keeps measuring with the verdict overdue while the metrics source is down, then decides", async () => {
    const sandbox = new SandboxMetrics(4000);
    let down = true;
    const flaky: MetricsSource = {
      mode: sandbox.mode,
      measure: async (experiment, until) => {
        if (down) throw new TransientError("posthog-unavailable", "PostHog answered 503");
        return sandbox.measure(experiment, until);
      },
    };
    const runtime = setup([item("late", { sandbox: { trueRelativeLift: 0.3 } })], {
      overrides: { metrics: flaky },
    });
    const id = `${WEEK}--late`;
    runtime.start();
    await runtime.ctx.queue.kickoff(WEEK);
    const overdue = await waitFor("the verdict to be overdue", async () => {
      const e = await runtime.ctx.ledger.getExperiment(id);
      return e?.verdictDelayed ? e : undefined;
    });
    expect(overdue.status).toBe("measuring");
    expect(overdue.verdictDelayed).toMatchObject({
      reason: "gave up after 2 attempts: PostHog answered 503",
      rounds: 1,
    });
    expect(await runtime.ctx.ledger.liveSurfaces()).toEqual({ [overdue.item.surface]: id });
    const nextRound = await runtime.ctx.queue.queue.getJob(jobIds.verdict(id, 1));
    expect(await nextRound?.getState()).toBe("delayed");
    expect(nextRound?.delay).toBe(VERDICT_ROUND_DELAY_MS);

    down = false;
    await nextRound?.promote();
    const experiment = await decided(runtime, id);
    expect(experiment.verdict?.decision).toBe("ship");
    expect(experiment.verdictDelayed).toBeUndefined();
    expect(await runtime.flags.writes()).toEqual(["gate late_gate 50", "gate late_gate 100"]);
  });

  it("blocks a merged item whose gate cannot be opened, and moves the week on", async () => {
    let sandboxFlags: FlagStore | undefined;
    const refused: FlagStore = {
      mode: "sandbox",
      ensureGateSplit: async (split) => {
        if (split.gate !== "merged_unseen_gate") return must(sandboxFlags).ensureGateSplit(split);
        throw new UserError(
          "statsig-gate-unseen",
          `the server SDK does not see gate ${split.gate}; check STATSIG_SERVER_SECRET`,
        );
      },
      ensureExperimentStarted: (spec) => must(sandboxFlags).ensureExperimentStarted(spec),
      ensureExperimentDecision: (...args) => must(sandboxFlags).ensureExperimentDecision(...args),
    };
    const runtime = setup(
      [
        item("merged-unseen", {
          ship: pullRequestShip("merged-unseen"),
          impact: { relativeLift: 0.5, confidence: 1 },
        }),
        item("next-in-line"),
      ],
      { overrides: { flags: refused }, mergeDelayMs: 50 },
    );
    sandboxFlags = runtime.flags;
    runtime.start();
    await runtime.ctx.queue.kickoff(WEEK);
    const week = await waitFor("the week to move on", async () => {
      const w = await runtime.ctx.ledger.getWeek(WEEK);
      return w?.experimentId === `${WEEK}--next-in-line` ? w : undefined;
    });
    expect(week.blocked).toEqual(["merged-unseen"]);
    const blocked = await runtime.ctx.ledger.getExperiment(`${WEEK}--merged-unseen`);
    expect(blocked?.history.map((h) => h.status)).toEqual([
      "planned",
      "shipping",
      "awaiting-merge",
      "blocked",
    ]);
    expect(blocked?.blockedReason).toBe(
      "the server SDK does not see gate merged_unseen_gate; check STATSIG_SERVER_SECRET",
    );
    expect(blocked?.writes["gate-split"]).toMatchObject({ state: "intent" });
  });

  it("records a pull request closed without merging as abandoned by review", async () => {
    const runtime = setup([item("rejected", { ship: pullRequestShip("rejected") })], {
      mergeDelayMs: 60_000,
    });
    runtime.start();
    await runtime.ctx.queue.kickoff(WEEK);
    await waitFor("the pull request", async () =>
      (await runtime.codeHost.list()).length > 0 ? true : undefined,
    );
    await runtime.codeHost.close("shiploop/rejected");
    const experiment = await waitFor("abandoned", async () => {
      const e = await runtime.ctx.ledger.getExperiment(`${WEEK}--rejected`);
      return e?.status === "abandoned" ? e : undefined;
    });
    expect(experiment.blockedReason).toContain("closed without merging");
    expect(await runtime.ctx.ledger.liveSurfaces()).toEqual({});
    expect(await runtime.flags.writes()).toEqual([]);
  });

  it("rolls back early when the daily check sees the primary metric significantly worse", async () => {
    const runtime = setup([item("harmful", { sandbox: { trueRelativeLift: -0.5 } })], {
      window: "3s",
    });
    runtime.start();
    await runtime.ctx.queue.kickoff(WEEK);
    const experiment = await decided(runtime, `${WEEK}--harmful`);
    expect(experiment.status).toBe("rolled-back");
    expect(experiment.verdict).toMatchObject({
      decision: "rollback",
      early: true,
      rule: "primary-worse",
    });
    expect(await runtime.flags.writes()).toEqual(["gate harmful_gate 50", "gate harmful_gate 0"]);
  });

  it("keeps one live experiment per surface across weeks", async () => {
    const runtime = setup(
      [
        item("first", { surface: "pricing", impact: { relativeLift: 0.3, confidence: 1 } }),
        item("same-surface", { surface: "pricing" }),
        item("other-surface", {
          surface: "onboarding",
          impact: { relativeLift: 0.01, confidence: 0.1 },
        }),
      ],
      { window: "60s" },
    );
    runtime.start();
    await runtime.ctx.queue.kickoff("2026-W49");
    await waitFor("first measuring", async () =>
      (await runtime.ctx.ledger.getExperiment("2026-W49--first"))?.status === "measuring"
        ? true
        : undefined,
    );
    await runtime.ctx.queue.kickoff("2026-W50");
    const second = await waitFor(
      "week 50 planned",
      async () => (await runtime.ctx.ledger.getWeek("2026-W50"))?.experimentId,
    );
    expect(second).toBe("2026-W50--other-surface");
  });
});
