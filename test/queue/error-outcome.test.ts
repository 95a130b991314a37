import { UnrecoverableError } from "bullmq";
import { describe, expect, it } from "vitest";
import { PermanentError, TransientError, UserError } from "../../src/domain/errors.js";
import { errorOutcome } from "../../src/queue/error-outcome.js";

describe("errorOutcome: what an error means for a job", () => {
  it.each([
    [
      "a user error blocks with its message",
      new UserError("patch-stale", "src/a.ts: text not found"),
      undefined,
      { action: "block", reason: "src/a.ts: text not found", code: "patch-stale" },
    ],
    [
      "a transient error is retried",
      new TransientError("http-502", "bad gateway"),
      { made: 0, allowed: 8 },
      { action: "retry" },
    ],
    [
      "an unknown error is retried",
      new Error("socket hang up"),
      { made: 3, allowed: 8 },
      { action: "retry" },
    ],
    [
      "on the last attempt a transient error blocks",
      new TransientError("http-502", "bad gateway"),
      { made: 7, allowed: 8 },
      {
        action: "block",
        reason: "gave up after 8 attempts: bad gateway",
        code: "retries-exhausted",
      },
    ],
  ])("%s", (_name, error, attempts, expected) => {
    expect(errorOutcome(error, attempts)).toEqual(expected);
  });

  it("a permanent error fails the job without further attempts", () => {
    const outcome = errorOutcome(
      new PermanentError("bad-transition", "cannot go from decided to shipping"),
    );
    expect(outcome.action).toBe("fail");
    if (outcome.action === "fail") {
      expect(outcome.error).toBeInstanceOf(UnrecoverableError);
      expect(outcome.error.message).toBe("bad-transition: cannot go from decided to shipping");
    }
  });
});
