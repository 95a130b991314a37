import type { AddressInfo } from "node:net";
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyReply } from "fastify";
import type { Logger } from "pino";
import type { Config } from "../config/config.js";
import { UserError } from "../domain/errors.js";
import type { Ledger } from "../ledger/ledger.js";
import { liveExperiments, queueJobs, registry } from "../observability/metrics-registry.js";
import type { CycleQueue } from "../queue/cycle-queue.js";
import type { FunnelSource } from "../runtime/backlog-planner.js";
import { loadRanking, type Ranking } from "../runtime/load-ranking.js";
import { checkHealth, type WorkerProbe } from "./check-health.js";
import { requireToken } from "./check-token.js";
import { renderExperimentPage } from "./experiment-page.js";
import { renderHomePage } from "./home-page.js";
import { html, layout } from "./html.js";
import { loadHome } from "./load-home.js";
import { CHARTS_SCRIPT, chartJsSource, STYLE } from "./page-assets.js";
import { experimentHref } from "./page-parts.js";
import { mountQueueDashboard } from "./queue-dashboard.js";
import { keepRawBody } from "./raw-body.js";
import { withTimeout } from "./with-timeout.js";

/**
 * Routes another module mounts on the status server (the GitHub webhook, `POST /events`).
 * `plugin` is an ordinary Fastify plugin; its requests carry `request.rawBody` (a Buffer) next
 * to the parsed `request.body`, for signature checks.
 */
export interface MountedRoutes {
  /** For logs and errors, e.g. "github-webhook". */
  name: string;
  plugin: FastifyPluginAsync;
  /** Path prefix for every route of the plugin, e.g. "/webhooks". */
  prefix?: string;
  /**
   * `token`: behind SHIPLOOP_HTTP_TOKEN like the pages. `own`: the routes authenticate each
   * request themselves (an HMAC signature, their own secret), so the status token is not asked.
   */
  auth: "token" | "own";
}

export interface StatusServerDeps {
  config: Pick<Config, "httpHost" | "httpPort" | "httpToken" | "tz" | "backlogDir">;
  redis: { ping(): Promise<string> };
  ledger: Ledger;
  queue: CycleQueue;
  /** The worker of this process, for /healthz; without it, any worker on the queue counts. */
  worker?: WorkerProbe;
  logger?: Logger;
  now?: () => Date;
  /** Stage weights for the backlog ranking; equal weights without it. */
  funnel?: FunnelSource;
  /** Replaces the ranking read from `config.backlogDir` (tests). */
  loadRanking?: () => Promise<Ranking>;
  routes?: readonly MountedRoutes[];
  /** Listen on this port instead of SHIPLOOP_HTTP_PORT; 0 picks a free one (tests). */
  port?: number;
}

export interface StatusServer {
  app: FastifyInstance;
  /** Where it listens, e.g. http://127.0.0.1:8080 */
  url: string;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

/**
 * The status server, not yet listening: `/healthz` is open; every other route — pages, assets,
 * `/metrics`, `/queues` and mounted routes with `auth: "token"` — needs SHIPLOOP_HTTP_TOKEN
 * when it is set. Mounted routes with `auth: "own"` sit beside them and check their own auth.
 */
export async function buildStatusServer(deps: StatusServerDeps): Promise<FastifyInstance> {
  const now = deps.now ?? (() => new Date());
  const ranking =
    deps.loadRanking ?? (() => loadRanking(deps.config.backlogDir, deps.ledger, deps.funnel));
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024, return503OnClosing: true });
  keepRawBody(app);
  app.setErrorHandler(async (error: Error & { statusCode?: number }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500)
      deps.logger?.error({ err: error, url: request.url }, "status server: request failed");
    await reply
      .code(status)
      .type("text/plain; charset=utf-8")
      .send(status >= 500 ? "internal error; see the worker's log\n" : `${error.message}\n`);
  });

  app.get("/healthz", async (_request, reply) => {
    const health = await checkHealth(deps);
    await reply
      .code(health.ok ? 200 : 503)
      .header("cache-control", "no-store")
      .send(health);
  });

  for (const routes of deps.routes ?? []) {
    if (routes.auth === "own")
      await app.register(routes.plugin, routes.prefix ? { prefix: routes.prefix } : {});
  }

  await app.register(async (pages) => {
    if (deps.config.httpToken) pages.addHook("onRequest", requireToken(deps.config.httpToken));

    pages.get("/", async (_request, reply) => {
      const view = await loadHome({
        ledger: deps.ledger,
        queue: deps.queue,
        loadRanking: ranking,
        now,
        tz: deps.config.tz,
      });
      await sendPage(reply, 200, renderHomePage(view));
    });

    pages.get<{ Params: { id: string } }>("/experiments/:id", async (request, reply) => {
      const { id } = request.params;
      const experiment = await deps.ledger.getExperiment(id);
      if (experiment) return sendPage(reply, 200, renderExperimentPage(experiment));
      // An item id stands for its latest experiment, as in `shiploop verdict <id>`.
      const latest = await deps.ledger.latestExperimentOf(id);
      if (latest) return reply.redirect(experimentHref(latest.id), 302);
      return sendPage(
        reply,
        404,
        layout({
          title: "Not found",
          body: html`<h1>No such experiment</h1><p>The ledger has no experiment or item <code>${id}</code>. <a href="/">Back to this week</a>.</p>`,
        }),
      );
    });

    pages.get("/metrics", async (_request, reply) => {
      await refreshScrapeGauges(deps);
      await reply.type(registry.contentType).send(await registry.metrics());
    });

    const chartJs = chartJsSource();
    pages.get("/assets/chart.umd.min.js", async (_request, reply) => {
      await reply
        .type("text/javascript; charset=utf-8")
        .header("cache-control", "max-age=3600")
        .send(chartJs);
    });
    pages.get("/assets/charts.js", async (_request, reply) => {
      await reply.type("text/javascript; charset=utf-8").send(CHARTS_SCRIPT);
    });
    pages.get("/assets/style.css", async (_request, reply) => {
      await reply.type("text/css; charset=utf-8").send(STYLE);
    });

    await mountQueueDashboard(pages, deps.queue.queue);

    for (const routes of deps.routes ?? []) {
      if (routes.auth === "token")
        await pages.register(routes.plugin, routes.prefix ? { prefix: routes.prefix } : {});
    }
  });
  return app;
}

/** Builds the server and listens on SHIPLOOP_HTTP_HOST:SHIPLOOP_HTTP_PORT (127.0.0.1:8080). */
export async function startStatusServer(deps: StatusServerDeps): Promise<StatusServer> {
  const app = await buildStatusServer(deps);
  const host = deps.config.httpHost;
  const port = deps.port ?? deps.config.httpPort;
  try {
    await app.listen({ host, port });
  } catch (error) {
    await app.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE")
      throw new UserError(
        "http-port-in-use",
        `SHIPLOOP_HTTP_PORT ${port} is already in use on ${host}; set SHIPLOOP_HTTP_PORT to a free port`,
      );
    if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND")
      throw new UserError(
        "http-host-unavailable",
        `SHIPLOOP_HTTP_HOST ${host} is not an address of this machine; expected e.g. 127.0.0.1 or 0.0.0.0`,
      );
    throw error;
  }
  const address = app.server.address() as AddressInfo;
  const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return { app, url: `http://${shown}:${address.port}`, close: () => app.close() };
}

async function sendPage(reply: FastifyReply, status: number, page: string): Promise<FastifyReply> {
  return reply
    .code(status)
    .headers(SECURITY_HEADERS)
    .header("cache-control", "no-store")
    .type("text/html; charset=utf-8")
    .send(page);
}

/** Gauges read at scrape time; a slow or absent Redis leaves them as they were. */
async function refreshScrapeGauges(deps: StatusServerDeps): Promise<void> {
  try {
    const [counts, live] = await withTimeout(
      Promise.all([
        deps.queue.queue.getJobCounts("waiting", "active", "delayed", "completed", "failed"),
        deps.ledger.liveSurfaces(),
      ]),
      1_000,
      "Redis did not answer",
    );
    for (const [state, count] of Object.entries(counts)) queueJobs.set({ state }, count);
    liveExperiments.set(Object.keys(live).length);
  } catch (error) {
    deps.logger?.warn({ err: error }, "status server: queue counts unavailable for /metrics");
  }
}
