import { afterEach, describe, expect, it } from "vitest";
import { TransientError, UserError } from "../../../src/domain/errors.js";
import { errorOutcome } from "../../../src/queue/error-outcome.js";
import {
  experimentFor,
  githubHarness,
  HAPPY_PATH,
  type Harness,
  requestFor,
  TOKEN,
} from "./harness.js";

let harness: Harness;
afterEach(async () => {
  expect(harness.fake.failures).toEqual([]);
  await harness.close();
});

const request = () => requestFor(experimentFor("three-steps"));

describe("GitHub faults", () => {
  it.each(["5xx", "429", "secondary-rate-limit"] as const)(
    "retries a %s inside octokit and then succeeds",
    async (kind) => {
      harness = await githubHarness();
      harness.fake.failNext(kind, 1, "git/create-tree");

      const ref = await harness.host().ensurePullRequest(request());

      expect(ref.number).toBe(1);
      const ops = harness.fake.operations();
      expect(ops.filter((op) => op === "git/create-tree")).toHaveLength(2);
      expect(ops.filter((op) => op !== "git/create-tree")).toEqual(
        HAPPY_PATH.filter((op) => op !== "git/create-tree"),
      );
    },
  );

  it("hands a GitHub outage that outlasts octokit's retries to BullMQ as a transient error", async () => {
    harness = await githubHarness();
    harness.fake.failNext("5xx", 10);
    const error = await harness
      .host()
      .ensurePullRequest(request())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect(errorOutcome(error)).toEqual({ action: "retry" });
    // The first attempt and octokit's three retries.
    expect(harness.fake.calls).toHaveLength(4);
  });

  it("blocks on a token without write access, naming the repo and the permission", async () => {
    harness = await githubHarness();
    harness.repo.permissions.contents = "read";

    const error = await harness
      .host()
      .ensurePullRequest(request())
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(
      /^GitHub refused to create the change's tree in acme\/webapp \(403 Resource not accessible by personal access token\): the token needs "Contents: write" on acme\/webapp \(a classic token: the "repo" scope\)/,
    );
    expect(errorOutcome(error)).toMatchObject({ action: "block", code: "github-permission" });
    expect(harness.fake.operations()).toEqual([
      "pulls/list",
      "repos/get-branch",
      "repos/get-content",
      "git/create-tree",
    ]);
  });

  it("names the pull-request permission when only that is missing", async () => {
    harness = await githubHarness();
    harness.repo.permissions.pull_requests = "none";
    await expect(harness.host().ensurePullRequest(request())).rejects.toThrow(
      /look for the open pull request of shiploop\/three-steps in acme\/webapp \(403 .*\): the token needs "Pull requests: read"/,
    );
  });

  it("blocks on a repository the token cannot see (404)", async () => {
    harness = await githubHarness();
    const error = await harness
      .host()
      .ensurePullRequest({ ...request(), repo: "acme/secret" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(
      /GitHub answered 404 trying to look for the open pull request of shiploop\/three-steps in acme\/secret: .*does not exist, or the token cannot see it; the token needs "Pull requests: read" on acme\/secret/,
    );
  });

  it("blocks on bad credentials with the setting to fix, never the token", async () => {
    harness = await githubHarness();
    const error = await harness
      .host(undefined, { GITHUB_TOKEN: "ghp_revokedToken0000" })
      .ensurePullRequest(request())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(
      /^GitHub rejected the credentials \(401 Bad credentials\) .* acme\/webapp: check GITHUB_TOKEN/,
    );
    expect((error as UserError).message).not.toContain("ghp_revokedToken0000");
  });

  it("blocks on a 403 that is not a rate limit without retrying it", async () => {
    harness = await githubHarness();
    harness.fake.failNext("403", 1, "pulls/create");
    await expect(harness.host().ensurePullRequest(request())).rejects.toBeInstanceOf(UserError);
    expect(harness.fake.operations().filter((op) => op === "pulls/create")).toHaveLength(1);
  });

  it("names the missing base branch", async () => {
    harness = await githubHarness();
    await expect(
      harness.host().ensurePullRequest({ ...request(), base: "develop" }),
    ).rejects.toThrow(/^the base branch develop does not exist in acme\/webapp \(ship.base\)/);
  });

  it("refuses to start without a repository to open the pull request in", async () => {
    harness = await githubHarness();
    const host = harness.host(undefined, { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: "" });
    await expect(host.ensurePullRequest({ ...request(), repo: undefined })).rejects.toThrow(
      /set ship.repo in the item or GITHUB_REPOSITORY/,
    );
  });
});
