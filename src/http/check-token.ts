import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";

/**
 * Whether an `Authorization` header carries `token`, as `Bearer <token>` or as HTTP Basic
 * auth with the token as the password (any user name). The comparison takes the same time
 * whatever the guess: both sides are hashed to equal length and compared with timingSafeEqual.
 */
export function carriesToken(header: string | undefined, token: string): boolean {
  if (!header) return false;
  const [scheme, value = ""] = header.trim().split(/\s+/, 2);
  let presented: string | undefined;
  if (scheme?.toLowerCase() === "bearer") presented = value;
  else if (scheme?.toLowerCase() === "basic") {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    presented = colon >= 0 ? decoded.slice(colon + 1) : undefined;
  }
  if (presented === undefined) return false;
  return sameSecret(presented, token);
}

export function sameSecret(a: string, b: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** An onRequest hook: without the token, 401 with a Basic challenge so a browser asks for it. */
export function requireToken(token: string) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (carriesToken(request.headers.authorization, token)) return;
    await reply
      .code(401)
      .header("www-authenticate", 'Basic realm="shiploop", charset="UTF-8"')
      .header("cache-control", "no-store")
      .type("text/plain; charset=utf-8")
      .send(
        "401: this page needs SHIPLOOP_HTTP_TOKEN (Authorization: Bearer <token>, or Basic auth with the token as password)\n",
      );
  };
}
