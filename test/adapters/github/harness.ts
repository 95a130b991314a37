import { Writable } from "node:stream";
import { type Logger, pino } from "pino";
import { createGitHubCodeHost, type OctokitTuning } from "../../../src/adapters/github/index.js";
import { buildConfig } from "../../../src/config/config.js";
import { BacklogItemSchema } from "../../../src/domain/backlog-item.js";
import type { ExperimentRecord } from "../../../src/domain/experiment.js";
import type { PullRequestRequest } from "../../../src/domain/ports.js";
import { branchFor, pullRequestBody } from "../../../src/render/pull-request-body.js";
import { FakeGitHub, type FakeGitHubOptions } from "../../fakes/github/fake-github.js";
import type { FakeRepo } from "../../fakes/github/fake-repo.js";
import { item } from "../../support/backlog-dir.js";

export const TOKEN = "ghp_TestOnlySecretToken0123456789abcdef";
export const REPO = "acme/webapp";
export const BASE_FILES = {
  "src/app.ts": "export const A = 1;\nexport const B = 2;\n",
  "src/onboarding/steps.ts": "const STEPS = 5;\nexport default STEPS;\n",
  "README.md": "# webapp\n",
};

/**
 * Octokit's pacing of writes (one a second, notifications one per three seconds) is right for
 * GitHub and pointless against a loopback fake: a limiter group that runs every job at once.
 */
const unpaced = {
  key: () => ({
    schedule: (_options: unknown, job: (...a: unknown[]) => unknown, ...args: unknown[]) =>
      job(...args),
  }),
};

/** Retry and throttling as in production, with waits in milliseconds instead of seconds. */
export const FAST: OctokitTuning = {
  retryAfterBaseValue: 1,
  throttleAfterBaseValue: 1,
  throttle: { write: unpaced, notifications: unpaced },
};

export interface Harness {
  fake: FakeGitHub;
  repo: FakeRepo;
  logs: string[];
  logger: Logger;
  host(
    tuning?: OctokitTuning,
    env?: Record<string, string>,
  ): ReturnType<typeof createGitHubCodeHost>;
  close(): Promise<void>;
}

export async function githubHarness(options: FakeGitHubOptions = {}): Promise<Harness> {
  const fake = await FakeGitHub.start({ tokens: { [TOKEN]: "shiploop-bot" }, ...options });
  const repo = fake.repo(REPO);
  repo.commitFiles("main", BASE_FILES);
  const logs: string[] = [];
  // No secret scrubbing here on purpose: the adapter itself must never log a secret.
  const logger = pino(
    { level: "debug" },
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        logs.push(chunk.toString());
        callback();
      },
    }),
  );
  return {
    fake,
    repo,
    logs,
    logger,
    host(tuning = FAST, env = { GITHUB_TOKEN: TOKEN }) {
      const config = buildConfig({ GITHUB_API_URL: fake.url, GITHUB_REPOSITORY: REPO, ...env });
      return createGitHubCodeHost(config, logger, tuning);
    },
    close: () => fake.close(),
  };
}

/** A picked experiment for a pull-request item, as the kickoff records it. */
export function experimentFor(id: string, ship: Record<string, unknown> = {}): ExperimentRecord {
  const parsed = BacklogItemSchema.parse(
    item(id, {
      hypothesis: "Fewer required steps before the first project raises activation.",
      ship: {
        kind: "pull-request",
        repo: REPO,
        base: "main",
        gate: `${id.replace(/-/g, "_")}_gate`,
        reviewers: ["octocat"],
        changes: [
          {
            path: "src/onboarding/steps.ts",
            replace: { find: "const STEPS = 5", with: "const STEPS = 3" },
          },
          { path: "src/onboarding/flag.ts", content: 'export const GATE = "onboarding";\n' },
        ],
        ...ship,
      },
    }),
  );
  return {
    id: `2026-W49--${id}`,
    week: "2026-W49",
    itemId: id,
    item: parsed,
    status: "shipping",
    history: [],
    pickedBecause:
      "activation rate is 12 pts under benchmark (28 % vs 40 %), weight 2.10; no past verdicts for activation/onboarding: author's estimate used as is",
    score: 0.0421,
    writes: {},
    checks: [],
    version: 1,
  };
}

/** What the ship job asks the code host for. */
export function requestFor(experiment: ExperimentRecord): PullRequestRequest {
  const ship = experiment.item.ship;
  if (ship.kind !== "pull-request") throw new Error("not a pull-request item");
  return {
    itemId: experiment.item.id,
    repo: ship.repo,
    base: ship.base,
    branch: branchFor(experiment.item.id),
    title: `[shiploop] ${experiment.item.title}`,
    body: pullRequestBody(experiment, 7 * 86_400_000),
    changes: ship.changes,
    labels: ["shiploop", "experiment", experiment.item.stage],
    reviewers: ship.reviewers,
  };
}

/** The calls of one first, uninterrupted run with reviewers: the budget is 8 + files read. */
export const HAPPY_PATH = [
  "pulls/list",
  "repos/get-branch",
  "repos/get-content",
  "git/create-tree",
  "git/create-commit",
  "git/create-ref",
  "pulls/create",
  "pulls/request-reviewers",
  "issues/add-labels",
];

/** A fetch that dies before its `n + 1`-th request, like a worker killed between two calls. */
export function crashingFetch(after: number): typeof fetch {
  let calls = 0;
  return (input, init) => {
    calls += 1;
    if (calls > after) return Promise.reject(new Error(`worker killed before call ${calls}`));
    return fetch(input, init);
  };
}
