import type { Config } from "../config/config.js";
import { eventsRoutes } from "../pql/http/events-routes.js";
import type { Runtime } from "../runtime/create-runtime.js";
import { githubWebhookRoutes } from "./github-webhook-route.js";
import type { MountedRoutes } from "./status-server.js";

/**
 * The routes other modules mount on the worker's status server. This is the one place to add
 * them: e.g. `{ name: "github-webhook", plugin: githubWebhookRoutes(runtime.context),
 * prefix: "/webhooks", auth: "own" }` for `POST /webhooks/github`, which checks its own
 * `X-Hub-Signature-256` over `request.rawBody`.
 */
export function mountedRoutes(runtime: Runtime, config: Config): MountedRoutes[] {
  return [
    {
      name: "events",
      auth: "own",
      plugin: eventsRoutes({
        redis: runtime.redis,
        prefix: config.prefix,
        secret: config.eventsSecret,
        segmentSecret: config.segmentSecret,
        // A live CRM must not take anonymous leads; the sandbox may.
        requireAuth: Boolean(config.hubspotAccessToken),
        dedupeTtlMs: config.pqlDedupeTtlMs,
        logger: runtime.context.logger,
      }),
    },
    {
      name: "github-webhook",
      prefix: "/webhooks",
      auth: "own",
      plugin: githubWebhookRoutes(runtime.context),
    },
  ];
}
