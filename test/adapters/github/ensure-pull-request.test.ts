import { afterEach, describe, expect, it } from "vitest";
import { TransientError, UserError } from "../../../src/domain/errors.js";
import {
  BASE_FILES,
  crashingFetch,
  experimentFor,
  FAST,
  githubHarness,
  HAPPY_PATH,
  type Harness,
  REPO,
  requestFor,
} from "./harness.js";

let harness: Harness;
afterEach(async () => {
  expect(harness.fake.failures).toEqual([]);
  await harness.close();
});

const EXPECTED_FILES = {
  ...BASE_FILES,
  "src/onboarding/steps.ts": "const STEPS = 3;\nexport default STEPS;\n",
  "src/onboarding/flag.ts": 'export const GATE = "onboarding";\n',
};

/** One open pull request on one branch holding one commit (on the current base) with the item's files. */
function expectOnePullRequest(h: Harness, branch = "shiploop/three-steps") {
  expect(h.repo.pulls.map((p) => [p.head, p.state])).toEqual([[branch, "open"]]);
  const ahead = h.repo.commitsAhead(branch, "main");
  expect(ahead).toHaveLength(1);
  expect(ahead[0]?.parents).toEqual([h.repo.branchHead("main")]);
  expect(h.repo.files(branch)).toEqual(EXPECTED_FILES);
  const pull = h.repo.pulls[0];
  expect(pull?.labels).toEqual(["shiploop", "experiment", "activation"]);
  expect(pull?.reviewers).toEqual(["octocat"]);
  expect(pull?.body).toContain("<!-- shiploop:item=three-steps -->");
}

describe("GitHubCodeHost.ensurePullRequest", () => {
  it("opens the pull request with all changes in one commit, in 8 calls + the file it reads", async () => {
    harness = await githubHarness();
    const request = requestFor(experimentFor("three-steps"));

    const ref = await harness.host().ensurePullRequest(request);

    expect(ref).toEqual({
      repo: REPO,
      number: 1,
      url: "https://github.test/acme/webapp/pull/1",
      branch: "shiploop/three-steps",
    });
    expect(harness.fake.operations()).toEqual(HAPPY_PATH);
    expectOnePullRequest(harness);
    const create = harness.fake.calls.find((c) => c.operationId === "pulls/create");
    expect(create?.body).toMatchObject({
      head: "shiploop/three-steps",
      base: "main",
      title: "[shiploop] Item three-steps",
    });
    // The file was read at the base commit, not at a branch name that may move meanwhile.
    const read = harness.fake.calls.find((c) => c.operationId === "repos/get-content");
    expect(read?.query).toEqual({ ref: harness.repo.branchHead("main") });
  });

  it("finds the open pull request on a second call and writes nothing", async () => {
    harness = await githubHarness();
    const request = requestFor(experimentFor("three-steps"));
    const first = await harness.host().ensurePullRequest(request);
    const before = harness.fake.calls.length;

    const second = await harness.host().ensurePullRequest(request);

    expect(second).toEqual(first);
    expect(harness.fake.operations(before)).toEqual(["pulls/list"]);
    expectOnePullRequest(harness);
  });

  it.each(HAPPY_PATH.slice(0, -1).map((op, i) => [i + 1, op] as const))(
    "a worker killed after call %i (%s) leaves, after the retry, one PR, one branch and one commit with the right tree",
    async (after) => {
      harness = await githubHarness();
      const request = requestFor(experimentFor("three-steps"));
      const dying = harness.host({ ...FAST, retries: 0, fetch: crashingFetch(after) });
      await expect(dying.ensurePullRequest(request)).rejects.toBeInstanceOf(TransientError);
      expect(harness.fake.calls).toHaveLength(after);

      const ref = await harness.host().ensurePullRequest(request);

      expect(ref.number).toBe(1);
      expectOnePullRequest(harness);
      expect(
        harness.fake.calls.filter((c) => c.operationId === "pulls/create" && c.status === 201),
      ).toHaveLength(1);
    },
  );

  it.each([
    ["nowhere", "const STEPS = 7", "src/onboarding/steps.ts"],
    ["2 times", "STEPS", "src/onboarding/steps.ts"],
  ])(
    "blocks a stale replace found %s, naming the file and the text, before writing anything",
    async (found, find, path) => {
      harness = await githubHarness();
      const request = requestFor(
        experimentFor("three-steps", { changes: [{ path, replace: { find, with: "x" } }] }),
      );

      const error = await harness
        .host()
        .ensurePullRequest(request)
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).message).toBe(
        `${path} in acme/webapp at main (${harness.repo.branchHead("main")?.slice(0, 7)}): the text "${find}" is found ${found}; ` +
          "a replace must match exactly once (ship.changes[0].replace.find)",
      );
      expect(harness.fake.operations()).toEqual([
        "pulls/list",
        "repos/get-branch",
        "repos/get-content",
      ]);
    },
  );

  it("blocks a replace of a file that does not exist, naming the file", async () => {
    harness = await githubHarness();
    const request = requestFor(
      experimentFor("three-steps", {
        changes: [{ path: "src/gone.ts", replace: { find: "a", with: "b" } }],
      }),
    );
    await expect(harness.host().ensurePullRequest(request)).rejects.toThrow(
      /^src\/gone\.ts does not exist in acme\/webapp at main \(\w{7}\), so its replace cannot apply/,
    );
    expect(harness.fake.failures).toEqual([]);
  });

  it("resets a branch left by an older run onto the current base, and opens a new PR beside the old closed one", async () => {
    harness = await githubHarness();
    const oldBase = harness.repo.branchHead("main") ?? "";
    harness.repo.refs.set("heads/shiploop/three-steps", oldBase);
    harness.repo.commitFiles(
      "shiploop/three-steps",
      { "src/onboarding/steps.ts": "const STEPS = 4;\n" },
      "older run",
    );
    harness.repo.pulls.push({
      number: 1,
      title: "old",
      body: "<!-- shiploop:item=three-steps -->",
      head: "shiploop/three-steps",
      base: "main",
      state: "closed",
      merged: false,
      labels: [],
      reviewers: [],
      author: "shiploop-bot",
    });
    harness.repo.commitFiles("main", { "README.md": "# webapp v2\n" }, "base moved on");

    const ref = await harness.host().ensurePullRequest(requestFor(experimentFor("three-steps")));

    expect(ref.number).toBe(2);
    expect(harness.fake.operations()).toEqual([
      "pulls/list",
      "repos/get-branch",
      "repos/get-content",
      "git/create-tree",
      "git/create-commit",
      "git/create-ref",
      "git/get-ref",
      "git/get-commit",
      "git/update-ref",
      "pulls/create",
      "pulls/request-reviewers",
      "issues/add-labels",
    ]);
    expect(harness.fake.calls.find((c) => c.operationId === "git/update-ref")?.body).toMatchObject({
      force: true,
    });
    const ahead = harness.repo.commitsAhead("shiploop/three-steps", "main");
    expect(ahead).toHaveLength(1);
    expect(harness.repo.files("shiploop/three-steps")).toEqual({
      ...EXPECTED_FILES,
      "README.md": "# webapp v2\n",
    });
    expect(harness.repo.openPulls().map((p) => p.number)).toEqual([2]);
  });

  it("reuses a branch that already holds this change on the current base instead of moving it", async () => {
    harness = await githubHarness();
    const request = requestFor(experimentFor("three-steps"));
    const dying = harness.host({ ...FAST, retries: 0, fetch: crashingFetch(6) });
    await dying.ensurePullRequest(request).catch(() => undefined);
    const head = harness.repo.branchHead("shiploop/three-steps");
    const before = harness.fake.calls.length;

    await harness.host().ensurePullRequest(request);

    expect(harness.fake.operations(before)).toContain("git/get-commit");
    expect(harness.fake.operations(before)).not.toContain("git/update-ref");
    expect(harness.repo.branchHead("shiploop/three-steps")).toBe(head);
  });

  it("refuses to adopt an open pull request on its branch that shiploop did not open", async () => {
    harness = await githubHarness();
    harness.repo.commitFiles("shiploop/three-steps", { "x.ts": "1" });
    harness.repo.pulls.push({
      number: 1,
      title: "manual",
      body: "by hand",
      head: "shiploop/three-steps",
      base: "main",
      state: "open",
      merged: false,
      labels: [],
      reviewers: [],
      author: "someone",
    });
    await expect(
      harness.host().ensurePullRequest(requestFor(experimentFor("three-steps"))),
    ).rejects.toThrow(
      /acme\/webapp already has an open pull request #1 from the branch shiploop\/three-steps that shiploop did not open/,
    );
    expect(harness.fake.operations()).toEqual(["pulls/list"]);
  });

  it("says so when the changes are already on the base, instead of opening an empty pull request", async () => {
    harness = await githubHarness();
    const request = requestFor(
      experimentFor("three-steps", {
        changes: [{ path: "README.md", content: BASE_FILES["README.md"] }],
      }),
    );
    await expect(harness.host().ensurePullRequest(request)).rejects.toThrow(/already applied\?/);
    expect(harness.fake.operations()).not.toContain("git/create-commit");
  });

  it("opens the pull request when a reviewer cannot be asked, and logs why", async () => {
    harness = await githubHarness();
    harness.repo.collaborators = new Set(["someone-else"]);
    await harness.host().ensurePullRequest(requestFor(experimentFor("three-steps")));
    expect(harness.repo.pulls[0]?.labels).toEqual(["shiploop", "experiment", "activation"]);
    expect(harness.logs.join("")).toContain("Reviews may only be requested from collaborators");
  });

  it("reads a file over 1 MB through the blob API", async () => {
    harness = await githubHarness();
    const big = `const STEPS = 5;\n${"// padding\n".repeat(120_000)}`;
    harness.repo.commitFiles("main", { "src/onboarding/steps.ts": big });
    await harness.host().ensurePullRequest(requestFor(experimentFor("three-steps")));
    expect(harness.fake.operations()).toContain("git/get-blob");
    expect(harness.repo.files("shiploop/three-steps")["src/onboarding/steps.ts"]).toBe(
      big.replace("STEPS = 5", "STEPS = 3"),
    );
  });
});
