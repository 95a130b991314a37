import { UserError } from "../../domain/errors.js";

export interface RepoName {
  owner: string;
  repo: string;
  /** `owner/name`, as people write it. */
  fullName: string;
}

const REPO = /^([\w.-]+)\/([\w.-]+)$/;

/** The item's `ship.repo`, else `GITHUB_REPOSITORY`; one clear error when neither names a repo. */
export function repoName(repo: string | undefined, fallback: string | undefined): RepoName {
  const text = repo || fallback;
  const match = text ? REPO.exec(text) : null;
  if (!text || !match?.[1] || !match[2]) {
    throw new UserError(
      "github-repository",
      text
        ? `"${text}" is not a repository; expected owner/name in ship.repo or GITHUB_REPOSITORY`
        : "no repository to open the pull request in: set ship.repo in the item or GITHUB_REPOSITORY",
    );
  }
  return { owner: match[1], repo: match[2], fullName: text };
}
