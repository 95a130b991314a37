import type { Logger } from "pino";
import type { Config } from "../../config/config.js";
import type { OctokitTuning } from "./create-octokit-class.js";
import { chooseAuth, createGitHubClients } from "./github-clients.js";
import { GitHubCodeHost } from "./github-code-host.js";

export type { OctokitTuning } from "./create-octokit-class.js";
export { GitHubCodeHost } from "./github-code-host.js";
export {
  onPullRequestWebhook,
  type PullRequestWebhookEvent,
  verifyAndParseWebhook,
  WebhookRejectedError,
} from "./webhook.js";

type GitHubSettings = Pick<
  Config,
  | "githubToken"
  | "githubApiUrl"
  | "githubRepository"
  | "githubAppId"
  | "githubAppPrivateKey"
  | "secrets"
>;

/** Whether the GitHub port runs live: a token, or an app id (a missing key is then reported). */
export function hasGitHubCredentials(
  config: Pick<Config, "githubToken" | "githubAppId" | "githubAppPrivateKey">,
): boolean {
  return Boolean(config.githubToken || config.githubAppId || config.githubAppPrivateKey);
}

/**
 * The live GitHub code host from the settings: a GitHub App (`GITHUB_APP_ID` +
 * `GITHUB_APP_PRIVATE_KEY`, installation looked up per repository) when both are set, else
 * `GITHUB_TOKEN`; `GITHUB_API_URL` as the API base; `GITHUB_REPOSITORY` when an item names no
 * `ship.repo`. Throws a `UserError` naming the setting when the credentials are incomplete.
 * `tuning` is for tests and benches (shorter retry waits, a custom fetch).
 */
export function createGitHubCodeHost(
  config: GitHubSettings,
  logger: Logger,
  tuning: OctokitTuning = {},
): GitHubCodeHost {
  const log = logger.child({ port: "github" });
  const clients = createGitHubClients(
    chooseAuth(config),
    config.githubApiUrl,
    log,
    tuning,
    config.secrets,
  );
  return new GitHubCodeHost(clients, config.githubRepository, log, config.secrets);
}
