import type { Config } from "../config/config.js";
import { eventsAuthMode, isLoopbackHost } from "../pql/http/check-auth.js";
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
  const auth = {
    secret: config.eventsSecret,
    // Without an events secret, the page token guards POST /events too.
    httpToken: config.httpToken,
    segmentSecret: config.segmentSecret,
    // A live CRM must not take anonymous leads; the sandbox may.
    requireAuth: Boolean(config.hubspotAccessToken),
  };
  if (eventsAuthMode(auth) === "open" && !isLoopbackHost(config.httpHost)) {
    runtime.context.logger.warn(
      { host: config.httpHost, port: config.httpPort },
      `POST /events takes events from anyone who can reach ${config.httpHost}:${config.httpPort}; set SHIPLOOP_EVENTS_SECRET or SHIPLOOP_HTTP_TOKEN`,
    );
  }
  return [
    {
      name: "events",
      auth: "own",
      plugin: eventsRoutes({
        redis: runtime.redis,
        prefix: config.prefix,
        ...auth,
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
