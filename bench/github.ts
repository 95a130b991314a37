/**
 * GitHub pull requests against the loopback fake: API calls per pull request (target ≤ 8 +
 * files changed) and the time from the ship step's start (the kickoff has picked the item) to
 * the pull request being open. Run: `npx tsx bench/github.ts`.
 *
 * Two timings: with octokit's waits turned down (what shiploop and the fake cost), and with
 * octokit's production pacing of writes (one a second, pull requests and reviews one per three
 * seconds), which is what a real GitHub run takes at least.
 */
import { pino } from "pino";
import { createGitHubCodeHost, type OctokitTuning } from "../src/adapters/github/index.js";
import { buildConfig } from "../src/config/config.js";
import type { FileChange } from "../src/domain/backlog-item.js";
import { branchFor } from "../src/render/pull-request-body.js";
import { FakeGitHub } from "../test/fakes/github/fake-github.js";

const TOKEN = "ghp_bench_token_0000000000";
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
  const repo = fake.repo("acme/webapp");
  const files: Record<string, string> = {};
  for (let i = 0; i < 200; i++) files[`src/module-${i}.ts`] = `export const VALUE_${i} = ${i};\n`;
  repo.commitFiles("main", files);
  const config = buildConfig({
    GITHUB_TOKEN: TOKEN,
    GITHUB_API_URL: fake.url,
    GITHUB_REPOSITORY: "acme/webapp",
  });
  const logger = pino({ level: "silent" });
  let seq = 0;
  const openOne = async (host: ReturnType<typeof createGitHubCodeHost>, changed: number) => {
    seq += 1;
    const itemId = `bench-item-${seq}`;
    const changes: FileChange[] = Array.from({ length: changed }, (_, i) => ({
      path: `src/module-${i}.ts`,
      replace: { find: `VALUE_${i} = ${i};`, with: `VALUE_${i} = ${i + 1000};` },
    }));
    const before = fake.calls.length;
    const started = performance.now();
    await host.ensurePullRequest({
      itemId,
      repo: "acme/webapp",
      base: "main",
      branch: branchFor(itemId),
      title: `[shiploop] bench ${seq}`,
      body: `<!-- shiploop:item=${itemId} -->\nbench`,
      changes,
      labels: ["shiploop", "experiment", "activation"],
      reviewers: ["octocat"],
    });
    return { ms: performance.now() - started, calls: fake.calls.length - before };
  };

  const fast = createGitHubCodeHost(config, logger, FAST);
  await openOne(fast, 1); // warm-up: loads GitHub's OpenAPI description in the fake
  console.log("GitHub pull requests against the loopback fake (octokit waits turned down)");
  console.log("files changed | API calls per PR | target (8 + files) | median ms | p95 ms");
  for (const changed of [1, 2, 3, 5, 10]) {
    const runs = [];
    for (let i = 0; i < 30; i++) runs.push(await openOne(fast, changed));
    const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
    const calls = Math.max(...runs.map((r) => r.calls));
    console.log(
      `${String(changed).padStart(13)} | ${String(calls).padStart(16)} | ${String(8 + changed).padStart(18)} | ` +
        `${quantile(ms, 0.5).toFixed(1).padStart(9)} | ${quantile(ms, 0.95).toFixed(1).padStart(6)}`,
    );
  }
  const before = fake.calls.length;
  await fast.ensurePullRequest({
    itemId: "bench-item-1",
    repo: "acme/webapp",
    base: "main",
    branch: branchFor("bench-item-1"),
    title: "[shiploop] bench 1",
    body: "<!-- shiploop:item=bench-item-1 -->\nbench",
    changes: [],
    labels: ["shiploop", "experiment", "activation"],
    reviewers: ["octocat"],
  });
  console.log(`re-run for an open pull request: ${fake.calls.length - before} API call(s)`);

  const paced = createGitHubCodeHost(config, logger, {});
  const production = await openOne(paced, 1);
  console.log(
    `with octokit's production pacing (1 changed file): ${production.calls} calls, ` +
      `kickoff → PR opened ${(production.ms / 1000).toFixed(1)} s`,
  );
  if (fake.failures.length > 0) {
    console.error("the fake rejected requests:", fake.failures);
    process.exitCode = 1;
  }
  await fake.close();
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

await main();
