import { App } from "octokit";
import type { Logger } from "pino";
import { UserError } from "../../domain/errors.js";
import {
  createOctokitClass,
  type GitHubClient,
  type OctokitTuning,
} from "./create-octokit-class.js";
import { mapGitHubError } from "./map-github-error.js";
import type { RepoName } from "./repo-name.js";

export type GitHubAuth =
  | { kind: "token"; token: string }
  | { kind: "app"; appId: string; privateKey: string };

/** An authenticated client for a repository: one shared client (token), or one per installation (app). */
export interface GitHubClients {
  readonly auth: GitHubAuth["kind"];
  forRepo(repo: RepoName): Promise<GitHubClient>;
}

export function createGitHubClients(
  auth: GitHubAuth,
  baseUrl: string,
  logger: Logger,
  tuning: OctokitTuning = {},
  secrets: readonly string[] = [],
): GitHubClients {
  const OctokitClass = createOctokitClass(baseUrl, logger, tuning);
  if (auth.kind === "token") {
    const client = new OctokitClass({ auth: auth.token });
    return { auth: "token", forRepo: async () => client };
  }
  const app = new App({
    appId: auth.appId,
    privateKey: normalizePrivateKey(auth.privateKey),
    Octokit: OctokitClass,
  });
  // The installation is looked up once per repository; its tokens are refreshed by octokit.
  const installations = new Map<string, Promise<GitHubClient>>();
  const lookUp = async (repo: RepoName): Promise<GitHubClient> => {
    try {
      const { data } = await app.octokit.rest.apps.getRepoInstallation({
        owner: repo.owner,
        repo: repo.repo,
      });
      return (await app.getInstallationOctokit(data.id)) as GitHubClient;
    } catch (error) {
      throw mapGitHubError(
        error,
        {
          repo: repo.fullName,
          action: `find the GitHub App ${auth.appId}'s installation`,
          permission: "metadata:read",
          notFound: `the GitHub App ${auth.appId} is not installed on ${repo.fullName}: install it there with Contents, Pull requests and Issues (read and write)`,
        },
        secrets,
      );
    }
  };
  return {
    auth: "app",
    forRepo(repo) {
      let client = installations.get(repo.fullName);
      if (!client) {
        client = lookUp(repo);
        installations.set(repo.fullName, client);
        // A failed look-up is not remembered: the next attempt asks again.
        client.catch(() => installations.delete(repo.fullName));
      }
      return client;
    },
  };
}

/** Which credentials to use: the app when both of its settings are set, else the token. */
export function chooseAuth(settings: {
  githubToken?: string | undefined;
  githubAppId?: string | undefined;
  githubAppPrivateKey?: string | undefined;
}): GitHubAuth {
  const { githubToken, githubAppId, githubAppPrivateKey } = settings;
  if (githubAppId && githubAppPrivateKey) {
    return { kind: "app", appId: githubAppId, privateKey: githubAppPrivateKey };
  }
  if (githubAppId && !githubToken) {
    throw new UserError(
      "github-app-key",
      "GITHUB_APP_ID is set but GITHUB_APP_PRIVATE_KEY is not: set the app's private key (PEM), or use GITHUB_TOKEN instead",
    );
  }
  if (githubAppPrivateKey && !githubToken) {
    throw new UserError(
      "github-app-id",
      "GITHUB_APP_PRIVATE_KEY is set but GITHUB_APP_ID is not: set the numeric app id, or use GITHUB_TOKEN instead",
    );
  }
  if (!githubToken) {
    throw new UserError(
      "github-credentials",
      "no GitHub credentials: set GITHUB_TOKEN, or GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY",
    );
  }
  return { kind: "token", token: githubToken };
}

/** A PEM passed through an environment variable often arrives with literal `\n`s. */
function normalizePrivateKey(key: string): string {
  return key.includes("\\n") ? key.replace(/\\n/g, "\n") : key;
}
