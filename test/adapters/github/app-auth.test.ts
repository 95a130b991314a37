import { generateKeyPairSync } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { UserError } from "../../../src/domain/errors.js";
import { experimentFor, githubHarness, HAPPY_PATH, type Harness, requestFor } from "./harness.js";

let harness: Harness;
afterEach(async () => {
  expect(harness.fake.failures).toEqual([]);
  await harness.close();
});

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const PEM = privateKey.export({ type: "pkcs1", format: "pem" }).toString();

describe("GitHub App auth", () => {
  it("looks up the app's installation on the repo once and opens the pull request as the installation", async () => {
    harness = await githubHarness({ app: { id: "123", publicKey } });
    // A key pasted into an environment variable with literal \n works too.
    const host = harness.host(undefined, {
      GITHUB_APP_ID: "123",
      GITHUB_APP_PRIVATE_KEY: PEM.replace(/\n/g, "\\n"),
    });

    const ref = await host.ensurePullRequest(requestFor(experimentFor("three-steps")));
    await host.pullRequestState(ref);

    expect(harness.fake.operations()).toEqual([
      "apps/get-repo-installation",
      "apps/create-installation-access-token",
      ...HAPPY_PATH,
      "pulls/get",
    ]);
    expect(harness.repo.pulls[0]?.author).toBe("shiploop[bot]");
  });

  it("says how to fix an app that is not installed on the repository", async () => {
    harness = await githubHarness({ app: { id: "123", publicKey } });
    const host = harness.host(undefined, { GITHUB_APP_ID: "123", GITHUB_APP_PRIVATE_KEY: PEM });
    await expect(
      host.ensurePullRequest({ ...requestFor(experimentFor("three-steps")), repo: "acme/other" }),
    ).rejects.toThrow(/the GitHub App 123 is not installed on acme\/other/);
  });

  it("refuses an app id without its private key, naming the setting", async () => {
    harness = await githubHarness();
    expect(() => harness.host(undefined, { GITHUB_APP_ID: "123" })).toThrow(UserError);
    expect(() => harness.host(undefined, { GITHUB_APP_ID: "123" })).toThrow(
      /GITHUB_APP_PRIVATE_KEY is not/,
    );
  });
});
