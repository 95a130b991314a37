import type { Logger } from "pino";
import type {
  CodeHost,
  PullRequestRef,
  PullRequestRequest,
  PullRequestState,
} from "../../domain/ports.js";
import { commitChanges } from "./commit-changes.js";
import { ensureMarkedComment } from "./ensure-marked-comment.js";
import {
  completePullRequest,
  findOpenPullRequest,
  openPullRequest,
} from "./find-or-open-pull-request.js";
import type { GitHubClients } from "./github-clients.js";
import { PullResponse, parseResponse } from "./github-responses.js";
import { callerFor } from "./map-github-error.js";
import { repoName } from "./repo-name.js";

/**
 * The live code host: pull requests on GitHub (or GitHub Enterprise) through octokit.
 * Every method is safe to call again after a crash at any point: the pull request is found by
 * its branch before anything is written, the branch is reused or reset rather than duplicated,
 * and "already exists" answers count as done.
 */
export class GitHubCodeHost implements CodeHost {
  readonly mode = "live";

  constructor(
    private readonly clients: GitHubClients,
    private readonly defaultRepo: string | undefined,
    private readonly logger: Logger,
    private readonly secrets: readonly string[] = [],
  ) {}

  async ensurePullRequest(request: PullRequestRequest): Promise<PullRequestRef> {
    const repo = repoName(request.repo, this.defaultRepo);
    const gh = await this.clients.forRepo(repo);
    const call = callerFor(repo.fullName, this.secrets);
    const log = this.logger.child({ repo: repo.fullName, branch: request.branch });
    let pull = await findOpenPullRequest(gh, repo, request, call);
    if (pull) {
      log.info({ pullRequest: pull.number }, "found the item's open pull request");
    } else {
      const commit = await commitChanges(
        gh,
        {
          repo,
          base: request.base,
          branch: request.branch,
          message: `${request.title}\n\nshiploop backlog item ${request.itemId}`,
          changes: request.changes,
        },
        log,
        call,
      );
      pull = await openPullRequest(gh, repo, request, call);
      log.info(
        { pullRequest: pull.number, commit: commit.sha, branchWas: commit.branch },
        "opened the pull request",
      );
    }
    await completePullRequest(gh, repo, pull, request, call, log);
    return { repo: repo.fullName, number: pull.number, url: pull.html_url, branch: request.branch };
  }

  async pullRequestState(ref: PullRequestRef): Promise<PullRequestState> {
    const repo = repoName(ref.repo, this.defaultRepo);
    const gh = await this.clients.forRepo(repo);
    const call = callerFor(repo.fullName, this.secrets);
    const { data } = await call(
      { action: `read pull request #${ref.number}`, permission: "pull_requests:read" },
      () => gh.rest.pulls.get({ owner: repo.owner, repo: repo.repo, pull_number: ref.number }),
    );
    const pull = parseResponse(PullResponse, data, "get a pull request");
    if (pull.merged || pull.merged_at) return "merged";
    return pull.state === "closed" ? "closed" : "open";
  }

  async ensureComment(ref: PullRequestRef, marker: string, body: string): Promise<void> {
    const repo = repoName(ref.repo, this.defaultRepo);
    const gh = await this.clients.forRepo(repo);
    const outcome = await ensureMarkedComment(
      gh,
      repo,
      ref.number,
      marker,
      body,
      callerFor(repo.fullName, this.secrets),
    );
    this.logger.info({ repo: repo.fullName, pullRequest: ref.number, marker, outcome }, "comment");
  }
}
