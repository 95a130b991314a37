import { RequestError } from "octokit";
import {
  isShiploopError,
  type ShiploopError,
  TransientError,
  UserError,
} from "../../domain/errors.js";
import { scrubSecrets } from "../../log/create-logger.js";

/** A permission as GitHub names it for fine-grained tokens and apps. */
export type GitHubPermission =
  | "contents:read"
  | "contents:write"
  | "pull_requests:read"
  | "pull_requests:write"
  | "issues:write"
  | "metadata:read";

/** What shiploop was doing when a call failed: the words of the error message. */
export interface GitHubCall {
  /** `owner/name`. */
  repo: string;
  /** What was being done, e.g. "create the branch shiploop/foo". */
  action: string;
  /** The permission this call needs, named when GitHub refuses it. */
  permission: GitHubPermission;
  /** A better message for a 404 than "not found or not visible", e.g. a missing file. */
  notFound?: string;
}

const PERMISSION_TITLES: Record<string, string> = {
  contents: "Contents",
  pull_requests: "Pull requests",
  issues: "Issues",
  metadata: "Metadata",
};

/**
 * The one place that decides what a failed GitHub call means, by its status:
 * - 401, 403, 404 → `UserError` naming the repository and the permission the token lacks;
 * - 5xx, 429 and rate limits (primary or secondary) → `TransientError` (octokit's retry and
 *   throttling plugins have already retried; BullMQ backs off and tries again);
 * - any other 4xx → `UserError` with GitHub's own message;
 * - anything that is not an HTTP answer (a refused connection) → `TransientError`.
 * Messages are built from the status, GitHub's message and our own words, never from request
 * headers, and pass through the secret scrubber anyway.
 */
export function mapGitHubError(
  error: unknown,
  call: GitHubCall,
  secrets: readonly string[] = [],
): ShiploopError {
  if (isShiploopError(error)) return error;
  const scrub = (text: string) => scrubSecrets(text, secrets);
  if (!(error instanceof RequestError)) {
    const reason = error instanceof Error ? error.message : String(error);
    return new TransientError(
      "github-unreachable",
      scrub(`could not reach GitHub to ${call.action} in ${call.repo}: ${reason}`),
    );
  }
  const status = error.status;
  const headers = (error.response?.headers ?? {}) as Record<string, string | undefined>;
  const said = scrub(githubMessage(error));
  const requestId = headers["x-github-request-id"];
  const ref = requestId ? ` [GitHub request ${requestId}]` : "";
  if (status >= 500 || status === 429 || isRateLimited(status, headers, said)) {
    return new TransientError(
      "github-unavailable",
      `GitHub answered ${status} (${said}) to ${call.action} in ${call.repo}; will retry${ref}`,
    );
  }
  const permission = permissionTitle(headers["x-accepted-github-permissions"], call.permission);
  const needs = `the token needs ${permission} on ${call.repo} (a classic token: the "repo" scope)`;
  switch (status) {
    case 401:
      return new UserError(
        "github-credentials",
        `GitHub rejected the credentials (401 ${said}) trying to ${call.action} in ${call.repo}: ` +
          "check GITHUB_TOKEN, or GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY; the token may have expired or been revoked",
      );
    case 403:
      return new UserError(
        "github-permission",
        `GitHub refused to ${call.action} in ${call.repo} (403 ${said}): ${needs}${ref}`,
      );
    case 404:
      return new UserError(
        "github-not-found",
        call.notFound
          ? `${call.notFound} (GitHub answered 404 trying to ${call.action})`
          : `GitHub answered 404 trying to ${call.action} in ${call.repo}: the repository or what it ` +
              `refers to does not exist, or the token cannot see it; ${needs}${ref}`,
      );
    default:
      return new UserError(
        "github-rejected",
        `GitHub rejected the request to ${call.action} in ${call.repo} (${status}): ${said}${ref}`,
      );
  }
}

/** The HTTP status of an octokit error, for the few answers a caller expects (404, 422). */
export function statusOf(error: unknown): number | undefined {
  return error instanceof RequestError ? error.status : undefined;
}

/** GitHub's message and the details of its `errors` list, e.g. "Validation Failed: No commits between main and x". */
function githubMessage(error: RequestError): string {
  const data = error.response?.data as
    | { message?: unknown; errors?: { message?: unknown; code?: unknown; field?: unknown }[] }
    | undefined;
  const message = typeof data?.message === "string" ? data.message : `HTTP ${error.status}`;
  const details = Array.isArray(data?.errors)
    ? data.errors
        .map((e) =>
          typeof e.message === "string"
            ? e.message
            : [e.field, e.code].filter((x) => typeof x === "string").join(" "),
        )
        .filter((text) => text.length > 0)
    : [];
  return details.length > 0 ? `${message}: ${details.join("; ")}` : message;
}

function isRateLimited(
  status: number,
  headers: Record<string, string | undefined>,
  message: string,
): boolean {
  if (status !== 403) return false;
  // GitHub's documented signals: no requests left, or the secondary limit's own wording.
  return headers["x-ratelimit-remaining"] === "0" || /\bsecondary rate limit\b/i.test(message);
}

/** `contents=write` (GitHub's header) or our own default → `"Contents: write"`. */
function permissionTitle(accepted: string | undefined, fallback: GitHubPermission): string {
  const raw = accepted?.split(";")[0]?.split(",")[0]?.trim().replace("=", ":") || fallback;
  const [name = "", level = ""] = raw.split(":");
  return `"${PERMISSION_TITLES[name] ?? name}: ${level}"`;
}

/** Runs GitHub calls for one repository, turning every failure into a shiploop error. */
export interface GitHubCaller {
  <T>(call: Omit<GitHubCall, "repo">, run: () => Promise<T>): Promise<T>;
  /** The shiploop error for a failure the caller caught itself (after checking for an expected status). */
  fail(error: unknown, call: Omit<GitHubCall, "repo">): ShiploopError;
}

export function callerFor(repo: string, secrets: readonly string[]): GitHubCaller {
  const fail = (error: unknown, call: Omit<GitHubCall, "repo">) =>
    mapGitHubError(error, { repo, ...call }, secrets);
  const caller = async <T>(call: Omit<GitHubCall, "repo">, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw fail(error, call);
    }
  };
  return Object.assign(caller, { fail });
}
