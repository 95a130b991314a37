import type { GitHubClient } from "./create-octokit-class.js";
import { CommentResponse, parseResponse } from "./github-responses.js";
import type { GitHubCaller } from "./map-github-error.js";
import type { RepoName } from "./repo-name.js";

/** The hidden line by which shiploop finds its own comment of a kind (e.g. "verdict") again. */
export function commentMarker(marker: string): string {
  return `<!-- shiploop:comment=${marker} -->`;
}

/**
 * One comment per marker on the pull request: updated in place when it exists (and only when
 * its text changed), created otherwise. Pages through the comments until the marker turns up.
 */
export async function ensureMarkedComment(
  gh: GitHubClient,
  repo: RepoName,
  number: number,
  marker: string,
  body: string,
  call: GitHubCaller,
): Promise<"created" | "updated" | "unchanged"> {
  const owner = { owner: repo.owner, repo: repo.repo };
  const hidden = commentMarker(marker);
  const text = `${hidden}\n${body}`;
  const existing = await call(
    { action: `read the comments of pull request #${number}`, permission: "issues:write" },
    async () => {
      const pages = gh.paginate.iterator(gh.rest.issues.listComments, {
        ...owner,
        issue_number: number,
        per_page: 100,
      });
      for await (const page of pages) {
        for (const raw of page.data) {
          const comment = parseResponse(CommentResponse, raw, "list comments");
          if (comment.body?.includes(hidden)) return comment;
        }
      }
      return undefined;
    },
  );
  if (existing?.body === text) return "unchanged";
  if (existing) {
    await call(
      { action: `update the ${marker} comment on #${number}`, permission: "issues:write" },
      () => gh.rest.issues.updateComment({ ...owner, comment_id: existing.id, body: text }),
    );
    return "updated";
  }
  await call({ action: `comment on pull request #${number}`, permission: "issues:write" }, () =>
    gh.rest.issues.createComment({ ...owner, issue_number: number, body: text }),
  );
  return "created";
}
