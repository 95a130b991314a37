/**
 * GitHub pull requests against the loopback fake GitHub (test/fakes/github). Prints:
 * 1. API calls per pull request by files changed (target ≤ 8 + files changed), and the time
 *    `ensurePullRequest` alone takes;
 * 2. kickoff → pull request opened: from enqueuing the week's kickoff on the real CycleQueue
 *    (Redis, a fresh prefix) until the pull request exists in the fake, through the worker's
 *    kickoff and ship jobs, median and p95 over RUNS runs, with the API calls each kickoff made;
 * 3. the same once with octokit's production pacing of writes (one a second, pull requests and
 *    reviews one per three seconds), which is what a real GitHub run takes at least.
 * Run: npm run bench:github  (RUNS=30 by default; REDIS_URL to use another Redis)
 */
import { pino } from "pino";
import type { CycleContext } from "../jobs/cycle-context.js";
import { createGitHubCodeHost, type OctokitTuning } from "../src/adapters/github/index.js";
import { LogTelemetry } from "../src/adapters/posthog/posthog-telemetry.js";
import { SandboxFlagStore } from "../src/adapters/sandbox/sandbox-flag-store.js";
import { SandboxMetrics } from "../src/adapters/sandbox/sandbox-metrics.js";
import { buildConfig } from "../src/config/config.js";
import type { FileChange } from "../src/domain/backlog-item.js";
import { Ledger } from "../src/ledger/ledger.js";
import { CycleQueue } from "../src/queue/cycle-queue.js";
import { startWorker } from "../src/queue/start-worker.js";
import { branchFor } from "../src/render/pull-request-body.js";
import { backlogPlanner } from "../src/runtime/backlog-planner.js";
import { FakeGitHub } from "../test/fakes/github/fake-github.js";
import type { FakeRepo } from "../test/fakes/github/fake-repo.js";
import { backlogDir, item } from "../test/support/backlog-dir.js";
import { REDIS_URL, removePrefix, testRedis, uniquePrefix } from "../test/support/redis.js";

const RUNS = Number(process.env.RUNS ?? 30);
const TOKEN = "ghp_bench_token_0000000000";
const REPO = "acme/webapp";
const unpaced = {
  key: () => ({
    schedule: (_o: unknown, job: (...a: unknown[]) => unknown, ...args: unknown[]) => job(...args),
  }),
};
const FAST: OctokitTuning = {
  retryAfterBaseValue: 1,
  throttleAfterBaseValue: 1,
  throttle: { write: unpaced, notifications: unpaced },
};

async function main(): Promise<void> {
  const fake = await FakeGitHub.start({ tokens: { [TOKEN]: "bench" } });
  const repo = fake.repo(REPO);
  const files: Record<string, string> = {};
  for (let i = 0; i < 200; i++) files[`src/module-${i}.ts`] = `export const VALUE_${i} = ${i};\n`;
  repo.commitFiles("main", files);
  try {
    await callsPerPullRequest(fake);
    await kickoffToPullRequest(fake, repo, FAST, RUNS, "octokit waits turned down");
    await kickoffToPullRequest(fake, repo, {}, 1, "octokit's production pacing");
  } finally {
    await fake.close();
  }
  if (fake.failures.length > 0) {
    console.error("the fake rejected requests:", fake.failures);
    process.exitCode = 1;
  }
}

/** The code host alone: API calls and time of one `ensurePullRequest` by files changed. */
async function callsPerPullRequest(fake: FakeGitHub): Promise<void> {
  const config = buildConfig({
    GITHUB_TOKEN: TOKEN,
    GITHUB_API_URL: fake.url,
    GITHUB_REPOSITORY: REPO,
  });
  const host = createGitHubCodeHost(config, pino({ level: "silent" }), FAST);
  let seq = 0;
  const openOne = async (changed: number, itemId = `bench-item-${++seq}`) => {
    const changes: FileChange[] = Array.from({ length: changed }, (_, i) => ({
      path: `src/module-${i}.ts`,
      replace: { find: `VALUE_${i} = ${i};`, with: `VALUE_${i} = ${i + 1000};` },
    }));
    const before = fake.calls.length;
    const started = performance.now();
    await host.ensurePullRequest({
      itemId,
      repo: REPO,
      base: "main",
      branch: branchFor(itemId),
      title: `[shiploop] bench ${itemId}`,
      body: `<!-- shiploop:item=${itemId} -->\nbench`,
      changes,
      labels: ["shiploop", "experiment", "activation"],
      reviewers: ["octocat"],
    });
    return { ms: performance.now() - started, calls: fake.calls.length - before };
  };

  await openOne(1); // warm-up: loads GitHub's OpenAPI description in the fake
  console.log("ensurePullRequest against the loopback fake (octokit waits turned down)");
  console.log("files changed | API calls per PR | target (8 + files) | median ms | p95 ms");
  for (const changed of [1, 2, 3, 5, 10]) {
    const runs = [];
    for (let i = 0; i < 30; i++) runs.push(await openOne(changed));
    const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
    const calls = Math.max(...runs.map((r) => r.calls));
    console.log(
      `${String(changed).padStart(13)} | ${String(calls).padStart(16)} | ${String(8 + changed).padStart(18)} | ` +
        `${quantile(ms, 0.5).toFixed(1).padStart(9)} | ${quantile(ms, 0.95).toFixed(1).padStart(6)}`,
    );
  }
  const rerun = await openOne(0, "bench-item-1");
  console.log(`re-run for an open pull request: ${rerun.calls} API call(s)`);
}

/**
 * The weekly cycle's path to a pull request: a worker on the real queue (a fresh prefix), a
 * backlog of one-file pull-request items on distinct surfaces, and one kickoff per ISO week.
 * Each run is timed from enqueuing the kickoff until the fake holds the new pull request; its
 * API calls are counted until the ship step is recorded (labels and reviewers included), less
 * the await-merge polls (`pulls/get`) of earlier runs' pull requests.
 */
async function kickoffToPullRequest(
  fake: FakeGitHub,
  repo: FakeRepo,
  tuning: OctokitTuning,
  runs: number,
  label: string,
): Promise<void> {
  const prefix = uniquePrefix("bench-github");
  const ids = Array.from({ length: runs + 1 }, (_, i) => `${prefix}-pr-${i}`);
  const backlog = backlogDir(
    ids.map((id, i) =>
      item(id, {
        ship: {
          kind: "pull-request",
          repo: REPO,
          gate: `${id.replace(/-/g, "_")}_gate`,
          reviewers: ["octocat"],
          changes: [
            {
              path: `src/module-${i % 200}.ts`,
              replace: { find: `VALUE_${i % 200} = `, with: `VALUE_${i % 200} = 1000 + ` },
            },
          ],
        },
      }),
    ),
  );
  const config = buildConfig({
    REDIS_URL,
    SHIPLOOP_PREFIX: prefix,
    SHIPLOOP_BACKLOG_DIR: backlog.dir,
    GITHUB_TOKEN: TOKEN,
    GITHUB_API_URL: fake.url,
    GITHUB_REPOSITORY: REPO,
  });
  const logger = pino({ level: "silent" });
  const redis = testRedis();
  const workerConnection = testRedis();
  const ledger = new Ledger(redis, prefix);
  const ctx: CycleContext = {
    config,
    ledger,
    queue: new CycleQueue(redis, prefix),
    codeHost: createGitHubCodeHost(config, logger, tuning),
    flags: new SandboxFlagStore(redis, prefix),
    metrics: new SandboxMetrics(3000),
    telemetry: new LogTelemetry(logger),
    planner: backlogPlanner(backlog.dir, ledger, async () => undefined),
    now: () => new Date(),
    logger,
  };
  const worker = startWorker(ctx, workerConnection);
  await worker.waitUntilReady();
  const timings: number[] = [];
  const calls: number[] = [];
  try {
    // Run 0 warms up (module loading, the first BullMQ scripts) and is not counted.
    for (let run = 0; run <= runs; run++) {
      const week = `${2030 + Math.floor(run / 50)}-W${String((run % 50) + 1).padStart(2, "0")}`;
      const pulls = repo.pulls.length;
      const from = fake.calls.length;
      const started = performance.now();
      await ctx.queue.kickoff(week);
      await until(() => repo.pulls.length > pulls, `a pull request for ${week}`);
      const ms = performance.now() - started;
      await until(async () => {
        const record = await ledger.getWeek(week);
        const experiment = record?.experimentId
          ? await ledger.getExperiment(record.experimentId)
          : undefined;
        return experiment?.status === "awaiting-merge";
      }, `the ship step of ${week}`);
      const made = fake.calls.slice(from).filter((c) => c.operationId !== "pulls/get").length;
      if (run > 0) {
        timings.push(ms);
        calls.push(made);
      }
    }
  } finally {
    await worker.close(true);
    await ctx.queue.queue.obliterate({ force: true }).catch(() => undefined);
    await ctx.queue.close();
    await removePrefix(redis, prefix);
    redis.disconnect();
    workerConnection.disconnect();
    backlog.remove();
  }
  const sorted = [...timings].sort((a, b) => a - b);
  const callRange =
    Math.min(...calls) === Math.max(...calls)
      ? String(calls[0])
      : `${Math.min(...calls)}–${Math.max(...calls)}`;
  console.log(
    `\nkickoff → pull request opened, real queue + worker (${label}, 1 file changed, ` +
      `${runs} run${runs === 1 ? "" : "s"})`,
  );
  if (runs === 1) {
    console.log(`${((sorted[0] ?? Number.NaN) / 1000).toFixed(1)} s, ${callRange} API calls`);
  } else {
    console.log(
      `median ${quantile(sorted, 0.5).toFixed(1)} ms | p95 ${quantile(sorted, 0.95).toFixed(1)} ms | ` +
        `API calls per kickoff ${callRange} (target ≤ 9)`,
    );
  }
}

/** Polls every millisecond (the timings' resolution) until `done`, or fails after 60 s. */
async function until(done: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

await main();
