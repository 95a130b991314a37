import type { FastifyInstance } from "fastify";

declare module "fastify" {
  interface FastifyRequest {
    /**
     * The request body exactly as it arrived, for routes that check a signature over it
     * (GitHub's `X-Hub-Signature-256`, `POST /events`). Set for every request with a body.
     */
    rawBody?: Buffer;
  }
}

/**
 * Replaces Fastify's body parsers with ones that keep the raw bytes on `request.rawBody`:
 * JSON bodies are still parsed into `request.body`; any other content type (NDJSON, form
 * posts, plain text) arrives as the Buffer itself. Registered on the root instance, so every
 * plugin mounted later inherits it.
 */
export function keepRawBody(app: FastifyInstance): void {
  app.removeContentTypeParser(["application/json", "text/plain"]);
  app.addContentTypeParser(
    /^application\/([\w.+-]+\+)?json(\s*;.*)?$/i,
    { parseAs: "buffer" },
    (request, body, done) => {
      const raw = body as Buffer;
      request.rawBody = raw;
      if (raw.length === 0) {
        done(null, undefined);
        return;
      }
      try {
        done(null, JSON.parse(raw.toString("utf8")));
      } catch {
        done(
          Object.assign(new Error("the body is not valid JSON"), { statusCode: 400 }),
          undefined,
        );
      }
    },
  );
  app.addContentTypeParser("*", { parseAs: "buffer" }, (request, body, done) => {
    request.rawBody = body as Buffer;
    done(null, body);
  });
}
