import { afterEach, describe, expect, it } from "vitest";
import type { PullRequestRef } from "../../../src/domain/ports.js";
import { experimentFor, githubHarness, type Harness, requestFor } from "./harness.js";

let harness: Harness;
afterEach(async () => {
  expect(harness.fake.failures).toEqual([]);
  await harness.close();
});

async function opened(h: Harness): Promise<PullRequestRef> {
  return h.host().ensurePullRequest(requestFor(experimentFor("three-steps")));
}

describe("GitHubCodeHost.pullRequestState", () => {
  it("reads open, then merged", async () => {
    harness = await githubHarness();
    const ref = await opened(harness);
    const host = harness.host();
    expect(await host.pullRequestState(ref)).toBe("open");
    harness.repo.merge(ref.number);
    expect(await host.pullRequestState(ref)).toBe("merged");
  });

  it("reads closed-unmerged as closed, so the experiment is abandoned by review", async () => {
    harness = await githubHarness();
    const ref = await opened(harness);
    harness.repo.close(ref.number);
    const before = harness.fake.calls.length;
    expect(await harness.host().pullRequestState(ref)).toBe("closed");
    expect(harness.fake.operations(before)).toEqual(["pulls/get"]);
  });

  it("falls back to GITHUB_REPOSITORY for a ref recorded without a repo", async () => {
    harness = await githubHarness();
    const ref = await opened(harness);
    expect(await harness.host().pullRequestState({ ...ref, repo: "" })).toBe("open");
  });
});

describe("GitHubCodeHost.ensureComment", () => {
  it("posts the marked comment once, skips an identical one and updates a changed one", async () => {
    harness = await githubHarness();
    const ref = await opened(harness);
    const host = harness.host();
    harness.repo.comments.push({ id: 1, issue: ref.number, body: "LGTM", author: "octocat" });
    const before = harness.fake.calls.length;

    await host.ensureComment(ref, "verdict", "**ship**: +4.1 %");
    await host.ensureComment(ref, "verdict", "**ship**: +4.1 %");
    await host.ensureComment(ref, "verdict", "**ship**: +4.3 %");

    expect(harness.fake.operations(before)).toEqual([
      "issues/list-comments",
      "issues/create-comment",
      "issues/list-comments",
      "issues/list-comments",
      "issues/update-comment",
    ]);
    expect(harness.repo.comments.map((c) => c.body)).toEqual([
      "LGTM",
      "<!-- shiploop:comment=verdict -->\n**ship**: +4.3 %",
    ]);
  });

  it("finds its comment beyond the first page", async () => {
    harness = await githubHarness();
    const ref = await opened(harness);
    for (let i = 0; i < 150; i++) {
      harness.repo.comments.push({
        id: i + 1,
        issue: ref.number,
        body: `note ${i}`,
        author: "octocat",
      });
    }
    const host = harness.host();
    await host.ensureComment(ref, "verdict", "first");
    await host.ensureComment(ref, "verdict", "second");
    expect(
      harness.repo.comments.filter((c) => c.body.includes("shiploop:comment=verdict")),
    ).toHaveLength(1);
    expect(harness.repo.comments.at(-1)?.body).toContain("second");
  });
});
