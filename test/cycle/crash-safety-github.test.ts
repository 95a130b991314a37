import { afterAll, describe, expect, it } from "vitest";
import { Ledger } from "../../src/ledger/ledger.js";
import { CycleQueue } from "../../src/queue/cycle-queue.js";
import { BASE_FILES, REPO, TOKEN } from "../adapters/github/harness.js";
import { FakeGitHub } from "../fakes/github/fake-github.js";
import { backlogDir, item } from "../support/backlog-dir.js";
import { removePrefix, testRedis, uniquePrefix, waitFor } from "../support/redis.js";
import { spawnWorker, type WorkerProcess } from "../support/worker-process.js";

const WEEK = "2026-W49";
const ID = `${WEEK}--fewer-fields`;
const redis = testRedis();
afterAll(() => redis.disconnect());

// The real GitHub adapter (octokit, production pacing) in real worker processes, against the
// fake GitHub that checks every request against GitHub's OpenAPI description.
describe("crash safety with GitHub", { timeout: 60_000 }, () => {
  it.each(["pull-request:after-intent", "pull-request:after-write"])(
    "a worker killed with SIGKILL at %s leaves one branch commit and one pull request, recorded",
    async (point) => {
      const prefix = uniquePrefix("crash-github");
      const fake = await FakeGitHub.start({ tokens: { [TOKEN]: "shiploop-bot" } });
      const repo = fake.repo(REPO);
      repo.commitFiles("main", BASE_FILES);
      const items = backlogDir([
        item("fewer-fields", {
          ship: {
            kind: "pull-request",
            repo: REPO,
            gate: "fewer_fields",
            changes: [
              {
                path: "src/app.ts",
                replace: { find: "export const A = 1;", with: "export const A = 2;" },
              },
            ],
          },
        }),
      ]);
      const env = {
        SHIPLOOP_PREFIX: prefix,
        SHIPLOOP_BACKLOG_DIR: items.dir,
        SHIPLOOP_WINDOW: "1h",
        GITHUB_TOKEN: TOKEN,
        GITHUB_API_URL: fake.url,
        GITHUB_REPOSITORY: REPO,
      };
      const queue = new CycleQueue(redis, prefix);
      const ledger = new Ledger(redis, prefix);
      const first = spawnWorker({ ...env, SHIPLOOP_TEST_KILL_AT: point });
      let second: WorkerProcess | undefined;
      try {
        await queue.kickoff(WEEK);
        expect((await first.exited).signal).toBe("SIGKILL");
        second = spawnWorker(env);
        const experiment = await waitFor("awaiting the merge", async () => {
          const e = await ledger.getExperiment(ID);
          return e?.status === "awaiting-merge" ? e : undefined;
        }).catch((error) => {
          throw new Error(`${error.message}\n--- worker output ---\n${second?.output()}`);
        });
        expect(repo.pulls).toHaveLength(1);
        const [pull] = repo.pulls;
        expect(experiment.writes["pull-request"]).toMatchObject({ state: "done" });
        expect(experiment.ship?.pullRequestNumber).toBe(pull?.number);
        expect(repo.commitsAhead("shiploop/fewer-fields", "main")).toHaveLength(1);
        expect(repo.files("shiploop/fewer-fields")["src/app.ts"]).toBe(
          "export const A = 2;\nexport const B = 2;\n",
        );
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
