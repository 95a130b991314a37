import { afterAll, describe, expect, it } from "vitest";
import { SandboxCodeHost } from "../../src/adapters/sandbox/sandbox-code-host.js";
import { SandboxFlagStore } from "../../src/adapters/sandbox/sandbox-flag-store.js";
import { Ledger } from "../../src/ledger/ledger.js";
import { CycleQueue } from "../../src/queue/cycle-queue.js";
import { backlogDir, item, pullRequestShip } from "../support/backlog-dir.js";
import { removePrefix, testRedis, uniquePrefix, waitFor } from "../support/redis.js";
import { spawnWorker, type WorkerProcess } from "../support/worker-process.js";

const WEEK = "2026-W49";
const ID = `${WEEK}--crash-me`;
const redis = testRedis();
const backlog = backlogDir([
  item("crash-me", { ship: pullRequestShip("crash-me"), sandbox: { trueRelativeLift: 0.3 } }),
]);
const twoItems = backlogDir([
  item("crash-me", {
    ship: pullRequestShip("crash-me"),
    impact: { relativeLift: 0.5, confidence: 1 },
  }),
  item("next-in-line"),
]);
const experimentItem = backlogDir([
  item("crash-exp", {
    ship: {
      kind: "experiment",
      experiment: "crash_exp",
      groups: [
        { name: "control", size: 50, parameters: { steps: 5 } },
        { name: "three_steps", size: 50, parameters: { steps: 3 } },
      ],
    },
    sandbox: { trueRelativeLift: 0.3 },
  }),
]);
afterAll(() => {
  backlog.remove();
  experimentItem.remove();
  twoItems.remove();
  redis.disconnect();
});

/** Every place a step can die between two writes; each one is a kill point in the code. */
const KILL_POINTS = [
  "kickoff:after-create",
  "pull-request:after-intent",
  "pull-request:after-write",
  "gate-split:after-intent",
  "gate-split:after-write",
  "check:after-analyze",
  "verdict:after-analyze",
  "apply-verdict:after-intent",
  "apply-verdict:after-write",
  "verdict-comment:after-intent",
  "verdict-comment:after-write",
  "verdict:after-record",
];

function workerEnv(prefix: string): Record<string, string> {
  return {
    SHIPLOOP_PREFIX: prefix,
    SHIPLOOP_BACKLOG_DIR: backlog.dir,
    SHIPLOOP_WINDOW: "2s",
    SHIPLOOP_SANDBOX_MERGE_DELAY: "200ms",
  };
}

/** Waits for the one experiment's verdict to be learned from, then checks "exactly once" everywhere. */
async function expectExactlyOneCycle(prefix: string, workers: WorkerProcess[]): Promise<void> {
  const ledger = new Ledger(redis, prefix);
  const observations = await waitFor(
    "the verdict to be learned",
    async () => {
      const all = await ledger.listObservations();
      return all.length > 0 ? all : undefined;
    },
    30_000,
  ).catch((error) => {
    throw new Error(
      `${error.message}\n--- worker output ---\n${workers.map((w) => w.output()).join("\n")}`,
    );
  });
  const experiment = await ledger.getExperiment(ID);
  const prs = await new SandboxCodeHost(redis, prefix, 0).list();
  const writes = await new SandboxFlagStore(redis, prefix).writes();
  expect(observations).toHaveLength(1);
  expect(await ledger.listExperiments()).toHaveLength(1);
  expect(prs).toHaveLength(1);
  expect(Object.keys(prs[0]?.comments ?? {})).toEqual(["verdict"]);
  expect(writes).toEqual(["gate crash_me_gate 50", "gate crash_me_gate 100"]);
  expect(experiment?.status).toBe("decided");
  expect(experiment?.history.map((h) => h.status)).toEqual([
    "planned",
    "shipping",
    "awaiting-merge",
    "measuring",
    "decided",
  ]);
}

// Each test has its own prefix and processes, so they run side by side (vitest runs 5 at a time).
describe.concurrent("crash safety", { timeout: 60_000 }, () => {
  it.each(KILL_POINTS)(
    "a worker killed with SIGKILL at %s is finished by the next one, exactly once",
    async (point) => {
      const prefix = uniquePrefix("crash");
      const queue = new CycleQueue(redis, prefix);
      const first = spawnWorker({ ...workerEnv(prefix), SHIPLOOP_TEST_KILL_AT: point });
      let second: WorkerProcess | undefined;
      try {
        await queue.kickoff(WEEK);
        const death = await first.exited;
        expect(death.signal).toBe("SIGKILL");
        second = spawnWorker(workerEnv(prefix));
        await expectExactlyOneCycle(prefix, [first, second]);
      } finally {
        await second?.stop();
        await queue.close();
        await removePrefix(redis, prefix);
      }
    },
  );

  it.each(["experiment-start:after-intent", "experiment-start:after-write"])(
    "a worker killed with SIGKILL at %s starts the Statsig-style experiment once",
    async (point) => {
      const prefix = uniquePrefix("crash-exp");
      const queue = new CycleQueue(redis, prefix);
      const ledger = new Ledger(redis, prefix);
      const env = { ...workerEnv(prefix), SHIPLOOP_BACKLOG_DIR: experimentItem.dir };
      const first = spawnWorker({ ...env, SHIPLOOP_TEST_KILL_AT: point });
      let second: WorkerProcess | undefined;
      try {
        await queue.kickoff(WEEK);
        expect((await first.exited).signal).toBe("SIGKILL");
        second = spawnWorker(env);
        await waitFor("the verdict to be learned", async () =>
          (await ledger.listObservations()).length > 0 ? true : undefined,
        ).catch((error) => {
          throw new Error(`${error.message}\n--- worker output ---\n${second?.output()}`);
        });
        const experiment = await ledger.getExperiment(`${WEEK}--crash-exp`);
        expect(experiment?.status).toBe("decided");
        expect(await new SandboxFlagStore(redis, prefix).writes()).toEqual([
          "experiment crash_exp start",
          "experiment crash_exp decision_made",
        ]);
      } finally {
        await second?.stop();
        await queue.close();
        await removePrefix(redis, prefix);
      }
    },
  );

  it("a worker killed right after it recorded an abandoned pull request still hands the week on", async () => {
    const prefix = uniquePrefix("crash-end");
    const queue = new CycleQueue(redis, prefix);
    const ledger = new Ledger(redis, prefix);
    const env = {
      ...workerEnv(prefix),
      SHIPLOOP_BACKLOG_DIR: twoItems.dir,
      // Nobody merges: the test closes the pull request as a reviewer would.
      SHIPLOOP_SANDBOX_MERGE_DELAY: "1h",
    };
    const first = spawnWorker({ ...env, SHIPLOOP_TEST_KILL_AT: "end-early:after-record" });
    let second: WorkerProcess | undefined;
    try {
      await queue.kickoff(WEEK);
      const codeHost = new SandboxCodeHost(redis, prefix, 0);
      await waitFor("the pull request", async () =>
        (await codeHost.list()).length > 0 ? true : undefined,
      );
      await codeHost.close("shiploop/crash-me");
      expect((await first.exited).signal).toBe("SIGKILL");
      expect((await ledger.getExperiment(ID))?.status).toBe("abandoned");
      second = spawnWorker(env);
      const week = await waitFor("the week to move to the next item", async () => {
        const w = await ledger.getWeek(WEEK);
        return w?.experimentId === `${WEEK}--next-in-line` ? w : undefined;
      }).catch((error) => {
        throw new Error(`${error.message}\n--- worker output ---\n${second?.output()}`);
      });
      expect(week.blocked).toEqual(["crash-me"]);
      expect(await ledger.listExperiments()).toHaveLength(2);
    } finally {
      await second?.stop();
      await queue.close();
      await removePrefix(redis, prefix);
    }
  });

  it("two workers on one Redis finish a cycle together with no double ship", async () => {
    const prefix = uniquePrefix("pair");
    const queue = new CycleQueue(redis, prefix);
    const workers = [spawnWorker(workerEnv(prefix)), spawnWorker(workerEnv(prefix))];
    try {
      await Promise.all([queue.kickoff(WEEK), queue.kickoff(WEEK)]);
      await expectExactlyOneCycle(prefix, workers);
    } finally {
      const exits = await Promise.all(workers.map((w) => w.stop()));
      expect(exits.map((e) => e.code)).toEqual([0, 0]);
      await queue.close();
      await removePrefix(redis, prefix);
    }
  });

  it("a verdict waiting as a delayed job survives a restart of the only worker", async () => {
    const prefix = uniquePrefix("restart");
    const queue = new CycleQueue(redis, prefix);
    const ledger = new Ledger(redis, prefix);
    const env = { ...workerEnv(prefix), SHIPLOOP_WINDOW: "3s" };
    const first = spawnWorker(env);
    let second: WorkerProcess | undefined;
    try {
      await queue.kickoff(WEEK);
      await waitFor("measuring", async () =>
        (await ledger.getExperiment(ID))?.status === "measuring" ? true : undefined,
      );
      expect((await first.stop()).code).toBe(0);
      expect(await queue.queue.getJob(`verdict-${ID}`)).toBeDefined();
      // No worker for a while: the verdict's due time passes with nobody running.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      second = spawnWorker(env);
      await expectExactlyOneCycle(prefix, [first, second]);
    } finally {
      await second?.stop();
      await queue.close();
      await removePrefix(redis, prefix);
    }
  });
});
