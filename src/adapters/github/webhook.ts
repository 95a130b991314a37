import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { UserError } from "../../domain/errors.js";

export type PullRequestWebhookEvent =
  | { kind: "pull_request_closed"; branch: string; merged: boolean; number: number; repo: string }
  | { kind: "ignored" };

/** A webhook delivery that must be refused; `status` is the HTTP answer (401 bad signature, 400 bad body). */
export class WebhookRejectedError extends UserError {
  constructor(
    readonly status: 400 | 401,
    message: string,
  ) {
    super("webhook-rejected", message);
  }
}

type Headers = Record<string, string | string[] | undefined>;

const ClosedPullRequest = z.object({
  action: z.literal("closed"),
  pull_request: z.object({
    number: z.number().int(),
    merged: z.boolean().nullable().optional(),
    head: z.object({ ref: z.string() }),
  }),
  repository: z.object({ full_name: z.string() }),
});

/**
 * Checks a GitHub webhook delivery and reads what shiploop cares about: a pull request that
 * was closed (merged or not). The signature (`X-Hub-Signature-256`, HMAC-SHA256 of the raw body
 * with `GITHUB_WEBHOOK_SECRET`) is compared in constant time before the body is parsed at all.
 * Framework-free: pass the raw body bytes and the request headers (any case).
 */
export function verifyAndParseWebhook(
  rawBody: Buffer,
  headers: Headers,
  secret: string,
): PullRequestWebhookEvent {
  if (!secret)
    throw new WebhookRejectedError(401, "GITHUB_WEBHOOK_SECRET is not set: webhooks are refused");
  const signature = header(headers, "x-hub-signature-256");
  if (!signature)
    throw new WebhookRejectedError(401, "the delivery has no X-Hub-Signature-256 header");
  const expected = `sha256=${createHmac("sha256", secret).update(rawBody).digest("hex")}`;
  const given = Buffer.from(signature, "utf8");
  const wanted = Buffer.from(expected, "utf8");
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    throw new WebhookRejectedError(
      401,
      "the delivery's X-Hub-Signature-256 does not match GITHUB_WEBHOOK_SECRET",
    );
  }
  if (header(headers, "x-github-event") !== "pull_request") return { kind: "ignored" };
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody.toString("utf8"));
  } catch {
    throw new WebhookRejectedError(400, "the delivery's body is not JSON");
  }
  const closed = ClosedPullRequest.safeParse(payload);
  if (!closed.success) return { kind: "ignored" };
  const pull = closed.data.pull_request;
  return {
    kind: "pull_request_closed",
    branch: pull.head.ref,
    merged: pull.merged === true,
    number: pull.number,
    repo: closed.data.repository.full_name,
  };
}

const BRANCH = /^shiploop\/([a-z0-9]+(?:-[a-z0-9]+)*)$/;

/**
 * A closed shiploop pull request wakes the item's await-merge job now instead of at its next
 * poll; that job reads the pull request's state itself (merged → measure, closed → abandoned),
 * so a forged or replayed delivery can at worst cause one early poll. Returns the item id, or
 * undefined for anything that is not a shiploop branch.
 */
export async function onPullRequestWebhook(
  event: PullRequestWebhookEvent,
  deps: { promoteAwaitMerge(itemId: string): Promise<void> },
): Promise<string | undefined> {
  if (event.kind !== "pull_request_closed") return undefined;
  const itemId = BRANCH.exec(event.branch)?.[1];
  if (!itemId) return undefined;
  await deps.promoteAwaitMerge(itemId);
  return itemId;
}

function header(headers: Headers, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}
