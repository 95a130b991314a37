import { createHmac } from "node:crypto";
import { sameSecret } from "../../http/check-token.js";

export interface AuthSecrets {
  /** SHIPLOOP_EVENTS_SECRET: `X-Shiploop-Secret: <secret>` or `Authorization: Bearer <secret>`. */
  secret: string | undefined;
  /** SHIPLOOP_HTTP_TOKEN, the status pages' token: the shared secret when no events secret is set. */
  httpToken?: string | undefined;
  /** Segment's shared secret: `X-Signature` = hex HMAC-SHA1 of the raw body. */
  segmentSecret: string | undefined;
  /** Refuse requests when no secret is configured (a live CRM must not take anonymous leads). */
  requireAuth: boolean;
}

/** How `POST /events` authenticates, given the settings; `open` takes anyone's events. */
export type EventsAuthMode = "events-secret" | "http-token" | "segment" | "closed" | "open";

export type AuthResult = { ok: true } | { ok: false; reason: string };

type Headers = Record<string, string | string[] | undefined>;

/**
 * The shared secret is SHIPLOOP_EVENTS_SECRET when set, else the page token SHIPLOOP_HTTP_TOKEN,
 * so a server whose pages are closed never takes anonymous events. Segment's signature is an
 * alternative when its secret is set. Open only when none of them is set and no live CRM waits
 * for the leads (the sandbox on loopback).
 */
export function eventsAuthMode(secrets: AuthSecrets): EventsAuthMode {
  if (secrets.secret) return "events-secret";
  if (secrets.httpToken) return "http-token";
  if (secrets.segmentSecret) return "segment";
  return secrets.requireAuth ? "closed" : "open";
}

export function checkAuth(headers: Headers, raw: Buffer, secrets: AuthSecrets): AuthResult {
  const signature = header(headers, "x-signature");
  if (signature !== undefined && secrets.segmentSecret) {
    const expected = createHmac("sha1", secrets.segmentSecret).update(raw).digest("hex");
    return sameSecret(signature.toLowerCase(), expected)
      ? { ok: true }
      : {
          ok: false,
          reason: "X-Signature does not match the body (HMAC-SHA1 with the Segment shared secret)",
        };
  }
  const mode = eventsAuthMode(secrets);
  if (mode === "events-secret" || mode === "http-token") {
    const [shared, what] =
      mode === "events-secret"
        ? [secrets.secret as string, "the events secret (SHIPLOOP_EVENTS_SECRET)"]
        : [
            secrets.httpToken as string,
            "the status token (SHIPLOOP_HTTP_TOKEN; no SHIPLOOP_EVENTS_SECRET is set)",
          ];
    const given =
      header(headers, "x-shiploop-secret") ??
      header(headers, "authorization")?.replace(/^Bearer\s+/i, "");
    if (given === undefined) {
      return {
        ok: false,
        reason: `missing credentials; send X-Shiploop-Secret (or Authorization: Bearer) with ${what}`,
      };
    }
    return sameSecret(given, shared) ? { ok: true } : { ok: false, reason: `wrong ${what}` };
  }
  if (mode === "segment") {
    return { ok: false, reason: "missing X-Signature; expected Segment's HMAC of the body" };
  }
  return mode === "closed"
    ? { ok: false, reason: "POST /events is closed: set SHIPLOOP_EVENTS_SECRET to accept events" }
    : { ok: true };
}

/** Whether a listen address is reachable only from this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(h);
}

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
