import type { Logger } from "pino";
import { UserError } from "../../domain/errors.js";
import type { PullRequestRequest } from "../../domain/ports.js";
import { itemMarker } from "../../render/pull-request-body.js";
import type { GitHubClient } from "./create-octokit-class.js";
import { PullResponse, parseResponse } from "./github-responses.js";
import { type GitHubCaller, statusOf } from "./map-github-error.js";
import type { RepoName } from "./repo-name.js";

/**
 * The item's open pull request, found by its deterministic branch (`owner:shiploop/<id>`) and
 * recognised by the hidden marker in its body; undefined when there is none. An open pull
 * request on that branch without the marker is someone else's: shiploop leaves it alone and
 * says so.
 */
export async function findOpenPullRequest(
  gh: GitHubClient,
  repo: RepoName,
  request: PullRequestRequest,
  call: GitHubCaller,
): Promise<PullResponse | undefined> {
  const { data } = await call(
    {
      action: `look for the open pull request of ${request.branch}`,
      permission: "pull_requests:read",
    },
    () =>
      gh.rest.pulls.list({
        owner: repo.owner,
        repo: repo.repo,
        head: `${repo.owner}:${request.branch}`,
        state: "open",
        per_page: 10,
      }),
  );
  const pulls = data.map((pull) => parseResponse(PullResponse, pull, "list pull requests"));
  const marker = itemMarker(request.itemId);
  const ours = pulls.find((pull) => pull.body?.includes(marker));
  if (ours) return ours;
  const other = pulls[0];
  if (other) {
    throw new UserError(
      "foreign-pull-request",
      `${repo.fullName} already has an open pull request #${other.number} from the branch ${request.branch} ` +
        `that shiploop did not open (its body lacks ${marker}): close it or rename its branch (${other.html_url})`,
    );
  }
  return undefined;
}

/** Opens the pull request; when GitHub says one already exists (a race, a retried request), finds it. */
export async function openPullRequest(
  gh: GitHubClient,
  repo: RepoName,
  request: PullRequestRequest,
  call: GitHubCaller,
): Promise<PullResponse> {
  const context = {
    action: `open a pull request from ${request.branch}`,
    permission: "pull_requests:write",
  } as const;
  try {
    const { data } = await gh.rest.pulls.create({
      owner: repo.owner,
      repo: repo.repo,
      head: request.branch,
      base: request.base,
      title: request.title,
      body: request.body,
    });
    return parseResponse(PullResponse, data, "create a pull request");
  } catch (error) {
    if (statusOf(error) !== 422) throw call.fail(error, context);
    const existing = await findOpenPullRequest(gh, repo, request, call);
    if (existing) return existing;
    throw call.fail(error, context);
  }
}

/**
 * Brings a found or new pull request to what the request asks: title and body (only when they
 * differ), reviewers, labels. Labels go last and mark the pull request as complete: a pull
 * request with all its labels is not asked for reviews again (a reviewer who already reviewed
 * leaves `requested_reviewers` and must not be pinged twice). A reviewer GitHub refuses (not a
 * collaborator, the token's own user) is logged, not fatal: the pull request is open and useful.
 */
export async function completePullRequest(
  gh: GitHubClient,
  repo: RepoName,
  pull: PullResponse,
  request: PullRequestRequest,
  call: GitHubCaller,
  logger: Logger,
): Promise<void> {
  const owner = { owner: repo.owner, repo: repo.repo };
  if (pull.title !== request.title || (pull.body ?? "") !== request.body) {
    await call(
      { action: `update pull request #${pull.number}`, permission: "pull_requests:write" },
      () =>
        gh.rest.pulls.update({
          ...owner,
          pull_number: pull.number,
          title: request.title,
          body: request.body,
        }),
    );
  }
  const labels = new Set(pull.labels.map((l) => l.name));
  const missingLabels = request.labels.filter((l) => !labels.has(l));
  if (missingLabels.length === 0) return;
  const requested = new Set((pull.requested_reviewers ?? []).map((r) => r.login.toLowerCase()));
  const reviewers = request.reviewers.filter((r) => !requested.has(r.toLowerCase()));
  if (reviewers.length > 0) {
    try {
      await gh.rest.pulls.requestReviewers({ ...owner, pull_number: pull.number, reviewers });
    } catch (error) {
      if (statusOf(error) !== 422) {
        throw call.fail(error, {
          action: `request reviews on pull request #${pull.number}`,
          permission: "pull_requests:write",
        });
      }
      const reason = call.fail(error, {
        action: "request reviews",
        permission: "pull_requests:write",
      });
      logger.warn(
        { reviewers, pullRequest: pull.number },
        `reviewers not requested: ${reason.message}`,
      );
    }
  }
  await call({ action: `label pull request #${pull.number}`, permission: "issues:write" }, () =>
    gh.rest.issues.addLabels({ ...owner, issue_number: pull.number, labels: missingLabels }),
  );
}
