import { createHmac } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import {
  onPullRequestWebhook,
  verifyAndParseWebhook,
  WebhookRejectedError,
} from "../../../src/adapters/github/webhook.js";

const SECRET = "whsec_test_0123456789";

function delivery(payload: unknown, event = "pull_request", secret = SECRET) {
  const body = Buffer.from(JSON.stringify(payload));
  const signature = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
  return { body, headers: { "X-Hub-Signature-256": signature, "x-github-event": event } };
}

const closed = (merged: boolean, ref = "shiploop/three-steps") => ({
  action: "closed",
  number: 7,
  pull_request: { number: 7, merged, head: { ref } },
  repository: { full_name: "acme/webapp" },
});

function rejection(run: () => unknown): WebhookRejectedError {
  try {
    run();
  } catch (error) {
    if (error instanceof WebhookRejectedError) return error;
    throw error;
  }
  throw new Error("expected the delivery to be rejected");
}

describe("verifyAndParseWebhook", () => {
  it("reads a merged and a closed-unmerged pull request from a correctly signed delivery", () => {
    const merged = delivery(closed(true));
    expect(verifyAndParseWebhook(merged.body, merged.headers, SECRET)).toEqual({
      kind: "pull_request_closed",
      branch: "shiploop/three-steps",
      merged: true,
      number: 7,
      repo: "acme/webapp",
    });
    const unmerged = delivery(closed(false));
    expect(verifyAndParseWebhook(unmerged.body, unmerged.headers, SECRET)).toMatchObject({
      merged: false,
    });
  });

  it("refuses a delivery signed with another secret, a tampered body and a missing signature (401)", () => {
    const forged = delivery(closed(true), "pull_request", "not-the-secret");
    expect(rejection(() => verifyAndParseWebhook(forged.body, forged.headers, SECRET)).status).toBe(
      401,
    );
    const good = delivery(closed(true));
    const tampered = Buffer.from(good.body.toString().replace("true", "false"));
    expect(rejection(() => verifyAndParseWebhook(tampered, good.headers, SECRET)).status).toBe(401);
    expect(
      rejection(() =>
        verifyAndParseWebhook(good.body, { "x-github-event": "pull_request" }, SECRET),
      ).message,
    ).toMatch(/no X-Hub-Signature-256/);
    expect(
      rejection(() =>
        verifyAndParseWebhook(
          good.body,
          { ...good.headers, "X-Hub-Signature-256": "sha256=abc" },
          SECRET,
        ),
      ).status,
    ).toBe(401);
    expect(rejection(() => verifyAndParseWebhook(good.body, good.headers, "")).message).toMatch(
      /GITHUB_WEBHOOK_SECRET is not set/,
    );
  });

  it("ignores other events and other pull request actions", () => {
    const ping = delivery({ zen: "Keep it logically awesome." }, "ping");
    expect(verifyAndParseWebhook(ping.body, ping.headers, SECRET)).toEqual({ kind: "ignored" });
    const opened = delivery({ ...closed(false), action: "opened" });
    expect(verifyAndParseWebhook(opened.body, opened.headers, SECRET)).toEqual({ kind: "ignored" });
  });

  it("answers 400 to a signed body that is not JSON", () => {
    const body = Buffer.from("not json");
    const headers = {
      "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
      "x-github-event": "pull_request",
    };
    expect(rejection(() => verifyAndParseWebhook(body, headers, SECRET)).status).toBe(400);
  });
});

describe("onPullRequestWebhook", () => {
  it("wakes the await-merge job of the item on the shiploop branch, merged or not", async () => {
    const promoteAwaitMerge = vi.fn(async () => undefined);
    for (const merged of [true, false]) {
      const event = {
        kind: "pull_request_closed" as const,
        branch: "shiploop/three-steps",
        merged,
        number: 7,
        repo: "acme/webapp",
      };
      expect(await onPullRequestWebhook(event, { promoteAwaitMerge })).toBe("three-steps");
    }
    expect(promoteAwaitMerge.mock.calls).toEqual([["three-steps"], ["three-steps"]]);
  });

  it("leaves other branches and ignored events alone", async () => {
    const promoteAwaitMerge = vi.fn(async () => undefined);
    const other = {
      kind: "pull_request_closed" as const,
      branch: "feature/x",
      merged: true,
      number: 8,
      repo: "acme/webapp",
    };
    expect(await onPullRequestWebhook(other, { promoteAwaitMerge })).toBeUndefined();
    expect(await onPullRequestWebhook({ kind: "ignored" }, { promoteAwaitMerge })).toBeUndefined();
    expect(
      await onPullRequestWebhook({ ...other, branch: "shiploop/../etc" }, { promoteAwaitMerge }),
    ).toBeUndefined();
    expect(promoteAwaitMerge).not.toHaveBeenCalled();
  });
});
