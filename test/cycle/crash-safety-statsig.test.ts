import { afterAll, describe, expect, it } from "vitest";
import { OWN_RULE_NAME } from "../../src/adapters/statsig/gate-rules.js";
import { Ledger } from "../../src/ledger/ledger.js";
import { CycleQueue } from "../../src/queue/cycle-queue.js";
import { FakeStatsig } from "../fakes/statsig/fake-statsig.js";
import { backlogDir, item } from "../support/backlog-dir.js";
import { removePrefix, testRedis, uniquePrefix, waitFor } from "../support/redis.js";
import { spawnWorker, type WorkerProcess } from "../support/worker-process.js";

const WEEK = "2026-W49";
const ID = `${WEEK}--checkout-gate`;
const redis = testRedis();
afterAll(() => redis.disconnect());

// The real Statsig adapter in a real worker process, against the fake Console API.
describe("crash safety with Statsig", { timeout: 60_000 }, () => {
  it.each(["gate-split:after-intent", "gate-split:after-write"])(
    "a worker killed with SIGKILL at %s leaves one gate rule at the split, recorded as done",
    async (point) => {
      const prefix = uniquePrefix("crash-statsig");
      const fake = await new FakeStatsig().start();
      const gate = "checkout_gate";
      const items = backlogDir([
        item("checkout-gate", { split: 30, ship: { kind: "gate", gate } }),
      ]);
      const env = {
        SHIPLOOP_PREFIX: prefix,
        SHIPLOOP_BACKLOG_DIR: items.dir,
        SHIPLOOP_WINDOW: "1h",
        STATSIG_CONSOLE_API_KEY: fake.apiKey,
        STATSIG_CONSOLE_API_URL: fake.consoleUrl,
      };
      const queue = new CycleQueue(redis, prefix);
      const ledger = new Ledger(redis, prefix);
      const first = spawnWorker({ ...env, SHIPLOOP_TEST_KILL_AT: point });
      let second: WorkerProcess | undefined;
      try {
        await queue.kickoff(WEEK);
        expect((await first.exited).signal).toBe("SIGKILL");
        second = spawnWorker(env);
        const experiment = await waitFor("measuring", async () => {
          const e = await ledger.getExperiment(ID);
          return e?.status === "measuring" ? e : undefined;
        }).catch((error) => {
          throw new Error(`${error.message}\n--- worker output ---\n${second?.output()}`);
        });
        expect(experiment.writes["gate-split"]).toMatchObject({
          state: "done",
          result: { gate, percent: 30 },
        });
        const rules = fake.gate(gate)?.rules.filter((r) => r.name === OWN_RULE_NAME) ?? [];
        expect(rules.map((r) => r.passPercentage)).toEqual([30]);
        // One write whichever side of it the first worker died on: the retry found its rule.
        expect(fake.writes()).toEqual(["POST /gates"]);
      } finally {
        await second?.stop();
        await queue.close();
        await fake.close();
        items.remove();
        await removePrefix(redis, prefix);
      }
    },
  );
});
