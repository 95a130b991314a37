import { afterEach, describe, expect, it } from "vitest";
import { experimentFor, githubHarness, type Harness, requestFor, TOKEN } from "./harness.js";

let harness: Harness;
afterEach(async () => {
  await harness.close();
});

describe("secrets", () => {
  it("never puts the token in a pull request, a commit, a comment, an error or a log line", async () => {
    harness = await githubHarness();
    const host = harness.host();
    const ref = await host.ensurePullRequest(requestFor(experimentFor("three-steps")));
    await host.ensureComment(ref, "verdict", "a verdict");
    const errors: string[] = [];
    const collect = (e: unknown) => {
      errors.push(String(e), JSON.stringify(e), (e as Error).stack ?? "");
    };
    await host
      .ensurePullRequest(
        requestFor(
          experimentFor("stale", {
            changes: [{ path: "src/app.ts", replace: { find: "nope", with: "x" } }],
          }),
        ),
      )
      .catch(collect);
    harness.repo.permissions.contents = "read";
    await host.ensurePullRequest(requestFor(experimentFor("denied"))).catch(collect);
    harness.fake.failNext("5xx", 10);
    await host.pullRequestState(ref).catch(collect);

    expect(errors.length).toBeGreaterThan(0);
    // The fake did receive the token, so it was in play the whole time.
    expect(harness.fake.calls.length).toBeGreaterThan(10);
    const pull = harness.repo.pulls[0];
    const written = [
      pull?.body,
      pull?.title,
      ...harness.repo.comments.map((c) => c.body),
      ...[...harness.repo.commits.values()].map((c) => c.message),
      ...[...harness.repo.blobs.values()].map((b) => b.toString("utf8")),
      JSON.stringify(harness.fake.calls.map((c) => c.body)),
    ].join("\n");
    expect(written).not.toContain(TOKEN);
    expect(errors.join("\n")).not.toContain(TOKEN);
    expect(harness.logs.length).toBeGreaterThan(10);
    expect(harness.logs.join("\n")).not.toContain(TOKEN);
  });
});
