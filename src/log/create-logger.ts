import { Writable } from "node:stream";
import { type DestinationStream, type Logger, pino } from "pino";
import { jobContextMixin } from "./job-context.js";

/** Field names that hold credentials wherever they appear (up to three levels deep). */
const SECRET_KEYS = [
  "token",
  "accessToken",
  "apiKey",
  "secret",
  "privateKey",
  "password",
  "authorization",
  "githubToken",
  "githubAppPrivateKey",
  "githubWebhookSecret",
  "statsigConsoleApiKey",
  "statsigServerSecret",
  "posthogProjectApiKey",
  "posthogPersonalApiKey",
  "hubspotAccessToken",
  "eventsSecret",
  "httpToken",
];
const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]).concat([
  'headers["authorization"]',
  '*.headers["authorization"]',
  'headers["statsig-api-key"]',
  '*.headers["statsig-api-key"]',
]);

export const REDACTED = "[redacted]";

export interface LoggerOptions {
  level?: string;
  /** Secret values (from the config) to mask wherever they appear, even inside messages. */
  secrets?: readonly string[];
  destination?: DestinationStream;
}

/**
 * pino with two layers of masking: `redact` removes known secret fields structurally, and a
 * value scrubber on the output masks any configured secret that slipped into a message or a
 * stack trace (an error thrown by a client library may quote a header).
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const target = options.destination ?? pino.destination({ dest: 1, sync: false });
  const secrets = (options.secrets ?? []).filter((s) => s.length >= 4);
  const stream = secrets.length > 0 ? scrubbingStream(target, secrets) : target;
  return pino(
    {
      level: options.level ?? "info",
      base: { service: "shiploop" },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: jobContextMixin,
    },
    stream,
  );
}

/** Replaces every occurrence of a secret (and its JSON-escaped form) with the redaction mark. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    out = out.split(secret).join(REDACTED);
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) out = out.split(escaped).join(REDACTED);
  }
  return out;
}

function scrubbingStream(target: DestinationStream, secrets: readonly string[]): DestinationStream {
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      target.write(scrubSecrets(chunk.toString(), secrets));
      callback();
    },
  });
}
