import type { Logger } from "pino";
import type { FileChange } from "../../domain/backlog-item.js";
import { UserError } from "../../domain/errors.js";
import { applyFileChanges, pathsToRead } from "./apply-file-changes.js";
import type { GitHubClient } from "./create-octokit-class.js";
import {
  BlobResponse,
  BranchResponse,
  CommitResponse,
  FileContentResponse,
  parseResponse,
  RefResponse,
  ShaResponse,
} from "./github-responses.js";
import { type GitHubCaller, statusOf } from "./map-github-error.js";
import type { RepoName } from "./repo-name.js";

export interface BranchCommit {
  repo: RepoName;
  base: string;
  branch: string;
  message: string;
  changes: readonly FileChange[];
}

export interface CommitResult {
  sha: string;
  /** What happened to the branch: new, reused as it was (same tree on the same base), or reset. */
  branch: "created" | "reused" | "reset";
}

/**
 * Puts all of an item's changes in one commit on top of the base branch and points the item's
 * branch at it, through the git data API: branch → file contents → tree (on the base tree) →
 * commit → ref. A branch left by an older run is reused when it already holds exactly this
 * tree on the current base, and otherwise reset (forced) to the new commit: the branch belongs
 * to shiploop, and its open pull request (if any) was looked for before this runs.
 */
export async function commitChanges(
  gh: GitHubClient,
  target: BranchCommit,
  logger: Logger,
  call: GitHubCaller,
): Promise<CommitResult> {
  const { repo, base, branch } = target;
  const owner = { owner: repo.owner, repo: repo.repo };

  const baseBranch = parseResponse(
    BranchResponse,
    (
      await call(
        {
          action: `read the base branch ${base}`,
          permission: "contents:read",
          notFound: `the base branch ${base} does not exist in ${repo.fullName} (ship.base), or the token cannot read the repository`,
        },
        () => gh.rest.repos.getBranch({ ...owner, branch: base }),
      )
    ).data,
    "get the base branch",
  );
  const baseSha = baseBranch.commit.sha;
  const baseTree = baseBranch.commit.commit.tree.sha;
  const where = `${repo.fullName} at ${base} (${baseSha.slice(0, 7)})`;

  const baseText = new Map<string, string>();
  await Promise.all(
    pathsToRead(target.changes).map(async (path) => {
      baseText.set(path, await readFile(gh, repo, path, baseSha, where, call));
    }),
  );
  const files = applyFileChanges(target.changes, baseText, where);

  const tree = parseResponse(
    ShaResponse,
    (
      await call({ action: "create the change's tree", permission: "contents:write" }, () =>
        gh.rest.git.createTree({
          ...owner,
          base_tree: baseTree,
          tree: [...files].map(([path, content]) => ({
            path,
            mode: "100644" as const,
            type: "blob" as const,
            content,
          })),
        }),
      )
    ).data,
    "create a tree",
  ).sha;
  if (tree === baseTree) {
    throw new UserError(
      "no-change",
      `the item's changes leave ${where} as it is (already applied?): nothing to open a pull request for`,
    );
  }
  const commit = parseResponse(
    ShaResponse,
    (
      await call({ action: "create the change's commit", permission: "contents:write" }, () =>
        gh.rest.git.createCommit({ ...owner, message: target.message, tree, parents: [baseSha] }),
      )
    ).data,
    "create a commit",
  ).sha;

  const branchCall = {
    action: `point the branch ${branch} at the change`,
    permission: "contents:write",
  } as const;
  try {
    await gh.rest.git.createRef({ ...owner, ref: `refs/heads/${branch}`, sha: commit });
    return { sha: commit, branch: "created" };
  } catch (error) {
    // 422 "Reference already exists": a branch from an older run (or from a crash just now).
    if (statusOf(error) !== 422) throw call.fail(error, branchCall);
    const existing = await existingHead(gh, repo, branch, call);
    if (!existing) throw call.fail(error, branchCall);
    const old = parseResponse(
      CommitResponse,
      (
        await call({ action: `read the head of ${branch}`, permission: "contents:read" }, () =>
          gh.rest.git.getCommit({ ...owner, commit_sha: existing }),
        )
      ).data,
      "get a commit",
    );
    if (old.tree.sha === tree && old.parents.length === 1 && old.parents[0]?.sha === baseSha) {
      logger.info(
        { branch, sha: existing },
        "the branch already holds this change on the current base: reused",
      );
      return { sha: existing, branch: "reused" };
    }
    await call(branchCall, () =>
      gh.rest.git.updateRef({ ...owner, ref: `heads/${branch}`, sha: commit, force: true }),
    );
    logger.info(
      { branch, from: existing, to: commit },
      "reset the branch left by an older run to the new change",
    );
    return { sha: commit, branch: "reset" };
  }
}

async function existingHead(
  gh: GitHubClient,
  repo: RepoName,
  branch: string,
  call: GitHubCaller,
): Promise<string | undefined> {
  try {
    const { data } = await gh.rest.git.getRef({
      owner: repo.owner,
      repo: repo.repo,
      ref: `heads/${branch}`,
    });
    return parseResponse(RefResponse, data, "get a branch").object.sha;
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw call.fail(error, { action: `read the branch ${branch}`, permission: "contents:read" });
  }
}

async function readFile(
  gh: GitHubClient,
  repo: RepoName,
  path: string,
  ref: string,
  where: string,
  call: GitHubCaller,
): Promise<string> {
  const owner = { owner: repo.owner, repo: repo.repo };
  const file = parseResponse(
    FileContentResponse,
    (
      await call(
        {
          action: `read ${path}`,
          permission: "contents:read",
          notFound: `${path} does not exist in ${where}, so its replace cannot apply (ship.changes)`,
        },
        () => gh.rest.repos.getContent({ ...owner, path, ref }),
      )
    ).data,
    "get a file's contents",
  );
  if (file.kind === "directory" || file.type !== "file") {
    throw new UserError(
      "not-a-file",
      `${path} in ${where} is not a file, so its replace cannot apply`,
    );
  }
  if (file.encoding === "base64" && file.content !== undefined) {
    return Buffer.from(file.content, "base64").toString("utf8");
  }
  // Files over 1 MB come without their content; the blob API has it.
  const blob = parseResponse(
    BlobResponse,
    (
      await call({ action: `read ${path}`, permission: "contents:read" }, () =>
        gh.rest.git.getBlob({ ...owner, file_sha: file.sha }),
      )
    ).data,
    "get a blob",
  );
  return Buffer.from(blob.content, blob.encoding === "base64" ? "base64" : "utf8").toString("utf8");
}
