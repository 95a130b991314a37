import type { FastifyPluginAsync } from "fastify";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { acceptEvents } from "../accept-events.js";
import { normalizeEvents } from "../normalize-event.js";
import { pqlKeys } from "../pql-keys.js";
import { pqlEvents } from "../pql-metrics.js";
import { type AuthSecrets, checkAuth } from "./check-auth.js";

export interface EventsRouteDeps extends AuthSecrets {
  redis: Redis;
  prefix: string;
  dedupeTtlMs: number;
  logger?: Logger;
  now?: () => number;
}

const BODY_LIMIT = 1_048_576;

/**
 * `POST /events`: shiploop's event shape, a PostHog webhook destination payload or a Segment
 * track call (one, an array, or `{batch: [...]}`). 202 once the events are in the durable
 * intake; 400 with the reason for a bad payload; 401 for bad credentials; 503 when Redis cannot
 * take them (nothing was acknowledged: the sender retries). Bodies are read raw in this plugin's
 * own scope, for Segment's HMAC, without touching the rest of the server.
 */
export function eventsRoutes(deps: EventsRouteDeps): FastifyPluginAsync {
  const keys = pqlKeys(deps.prefix);
  const now = deps.now ?? Date.now;
  return async (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(
      "*",
      { parseAs: "buffer", bodyLimit: BODY_LIMIT },
      (_req, body, done) => {
        done(null, body);
      },
    );

    app.post("/events", async (request, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const refuse = (status: number, outcome: string, reason: string, source = "unknown") => {
        pqlEvents.inc({ source, outcome });
        void deps.redis.hincrby(keys.stats, `refused:${outcome}`, 1).catch(() => undefined);
        return reply.code(status).send({ error: reason });
      };
      const auth = checkAuth(request.headers, raw, deps);
      if (!auth.ok) return refuse(401, "unauthorized", auth.reason);
      let body: unknown;
      try {
        body = JSON.parse(raw.toString("utf8"));
      } catch (error) {
        return refuse(400, "bad-json", `body is not JSON: ${(error as Error).message}`);
      }
      const receivedAt = now();
      const normalized = normalizeEvents(body, receivedAt);
      if (!normalized.ok) return refuse(400, normalized.code, normalized.reason);
      const source = normalized.events[0]?.source ?? "unknown";
      try {
        const result = await acceptEvents(
          deps.redis,
          keys,
          normalized.events,
          receivedAt,
          deps.dedupeTtlMs,
        );
        pqlEvents.inc({ source, outcome: "accepted" }, result.accepted);
        if (result.duplicates > 0)
          pqlEvents.inc({ source, outcome: "duplicate" }, result.duplicates);
        return reply.code(202).send(result);
      } catch (error) {
        deps.logger?.error({ err: error }, "POST /events: the intake is unavailable");
        pqlEvents.inc({ source, outcome: "unavailable" });
        return reply.code(503).send({ error: "the event intake is unavailable; retry later" });
      }
    });
  };
}
