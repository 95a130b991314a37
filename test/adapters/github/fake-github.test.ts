import { afterEach, describe, expect, it } from "vitest";
import { FakeGitHub } from "../../fakes/github/fake-github.js";

let fake: FakeGitHub;
afterEach(async () => {
  await fake.close();
});

async function send(method: string, path: string, body?: unknown) {
  const response = await fetch(`${fake.url}${path}`, {
    method,
    headers: { authorization: "token t", "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as { message?: string } };
}

describe("the fake GitHub rejects what GitHub's OpenAPI description rejects", () => {
  it.each([
    [
      "an unknown path",
      "GET",
      "/repos/acme/webapp/git/nonsense",
      undefined,
      404,
      /^unmatched: .*no operation/,
    ],
    [
      "a method the path lacks",
      "DELETE",
      "/repos/acme/webapp/pulls",
      undefined,
      404,
      /^unmatched:/,
    ],
    [
      "a missing required field",
      "POST",
      "/repos/acme/webapp/git/trees",
      { base_tree: "x" },
      422,
      /git\/create-tree: body.tree is missing/,
    ],
    [
      "a mistyped field",
      "POST",
      "/repos/acme/webapp/git/commits",
      { message: "m", tree: 42 },
      422,
      /body.tree is a number .*expected string/,
    ],
    [
      "a value outside its enum",
      "POST",
      "/repos/acme/webapp/git/trees",
      { tree: [{ path: "a", mode: "644", type: "blob", content: "" }] },
      422,
      /body.tree\[0\].mode/,
    ],
    [
      "a non-integer path parameter",
      "GET",
      "/repos/acme/webapp/pulls/abc",
      undefined,
      422,
      /pull_number is "abc"; expected an integer/,
    ],
    [
      "a bad query enum",
      "GET",
      "/repos/acme/webapp/pulls?state=merged",
      undefined,
      422,
      /state is "merged"/,
    ],
  ] as const)("%s", async (_what, method, path, body, status, failure) => {
    fake = await FakeGitHub.start({ tokens: { t: "me" } });
    fake.repo("acme/webapp").commitFiles("main", { "a.ts": "1" });
    const answer = await send(method, path, body);
    expect(answer.status).toBe(status);
    expect(fake.failures).toHaveLength(1);
    expect(fake.failures[0]).toMatch(failure);
  });

  it("records every call and answers injected faults in order", async () => {
    fake = await FakeGitHub.start({ tokens: { t: "me" } });
    fake.repo("acme/webapp").commitFiles("main", { "a.ts": "1" });
    fake.failNext("5xx", 1);
    fake.failNext("secondary-rate-limit", 1);
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await send("GET", "/repos/acme/webapp/branches/main")).status);
    expect(statuses).toEqual([502, 403, 200]);
    expect(fake.operations()).toEqual(["repos/get-branch", "repos/get-branch", "repos/get-branch"]);
    expect(fake.failures).toEqual([]);
  });

  it("answers 401 to unknown credentials", async () => {
    fake = await FakeGitHub.start({ tokens: { other: "me" } });
    fake.repo("acme/webapp");
    expect((await send("GET", "/repos/acme/webapp/pulls")).status).toBe(401);
  });
});
