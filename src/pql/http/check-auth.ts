import { createHmac, timingSafeEqual } from "node:crypto";

export interface AuthSecrets {
  /** SHIPLOOP_EVENTS_SECRET: `X-Shiploop-Secret: <secret>` or `Authorization: Bearer <secret>`. */
  secret: string | undefined;
  /** Segment's shared secret: `X-Signature` = hex HMAC-SHA1 of the raw body. */
  segmentSecret: string | undefined;
  /** Refuse requests when no secret is configured (a live CRM must not take anonymous leads). */
  requireAuth: boolean;
}

export type AuthResult = { ok: true } | { ok: false; reason: string };

type Headers = Record<string, string | string[] | undefined>;

export function checkAuth(headers: Headers, raw: Buffer, secrets: AuthSecrets): AuthResult {
  const signature = header(headers, "x-signature");
  if (signature !== undefined && secrets.segmentSecret) {
    const expected = createHmac("sha1", secrets.segmentSecret).update(raw).digest("hex");
    return same(signature.toLowerCase(), expected)
      ? { ok: true }
      : {
          ok: false,
          reason: "X-Signature does not match the body (HMAC-SHA1 with the Segment shared secret)",
        };
  }
  if (secrets.secret) {
    const given =
      header(headers, "x-shiploop-secret") ??
      header(headers, "authorization")?.replace(/^Bearer\s+/i, "");
    if (given === undefined) {
      return {
        ok: false,
        reason:
          "missing credentials; send X-Shiploop-Secret (or Authorization: Bearer) with the events secret",
      };
    }
    return same(given, secrets.secret)
      ? { ok: true }
      : { ok: false, reason: "wrong events secret" };
  }
  if (secrets.segmentSecret) {
    return { ok: false, reason: "missing X-Signature; expected Segment's HMAC of the body" };
  }
  return secrets.requireAuth
    ? { ok: false, reason: "POST /events is closed: set SHIPLOOP_EVENTS_SECRET to accept events" }
    : { ok: true };
}

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
