import { CronExpressionParser } from "cron-parser";
import { z } from "zod";
import { DURATION_HINT, parseDuration } from "../domain/duration.js";

/**
 * Every setting shiploop reads: its environment name (the stable interface of DESIGN.md),
 * its key in `shiploop.config.yaml` when it may live there, and how its text is checked.
 * Secrets are only read from the environment and their values are never echoed.
 */
export interface Setting<T> {
  env: string;
  fileKey?: string;
  secret?: boolean;
  schema: z.ZodType<T>;
}

const optionalText = z
  .string()
  .min(1, "is empty; expected a value or no setting at all")
  .optional();
const url = (hint: string) =>
  z.url({ error: `is not a URL; expected ${hint}` }).transform((u) => u.replace(/\/+$/, ""));

const duration = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === undefined) {
    ctx.addIssue({ code: "custom", message: `is not a duration; expected ${DURATION_HINT}` });
    return z.NEVER;
  }
  return ms;
});

const cron = z.string().refine(
  (text) => {
    try {
      CronExpressionParser.parse(text);
      return text.trim().split(/\s+/).length >= 5;
    } catch {
      return false;
    }
  },
  { error: 'is not a cron expression; expected five fields such as "0 9 * * 1" (Mondays 09:00)' },
);

const timeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { error: "is not a time zone; expected an IANA name such as UTC or Europe/Berlin" },
);

const port = z.coerce
  .number({ error: "is not a port; expected a whole number 1..65535" })
  .int("is not a port; expected a whole number 1..65535")
  .min(1, "is not a port; expected a whole number 1..65535")
  .max(65535, "is not a port; expected a whole number 1..65535");

const redisUrl = z
  .string()
  .regex(/^rediss?:\/\/\S+$/, "is not a Redis URL; expected redis://host:port or rediss://…");

const prefix = z
  .string()
  .regex(
    /^[\w{}.-]+$/,
    "is not a key prefix; expected letters, digits, '-', '.', '_' or a {hash tag}, without ':'",
  );

const repository = z
  .string()
  .regex(/^[\w.-]+\/[\w.-]+$/, "is not a repository; expected owner/name");

const logLevel = z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
  error: "is not a log level; expected one of fatal, error, warn, info, debug, trace, silent",
});

function setting<T>(
  env: string,
  schema: z.ZodType<T>,
  extra: Partial<Setting<T>> = {},
): Setting<T> {
  return { env, schema, ...extra };
}

export const SETTINGS = {
  redisUrl: setting("REDIS_URL", redisUrl.default("redis://127.0.0.1:6379"), {
    fileKey: "redisUrl",
  }),
  prefix: setting("SHIPLOOP_PREFIX", prefix.default("shiploop"), { fileKey: "prefix" }),
  backlogDir: setting(
    "SHIPLOOP_BACKLOG_DIR",
    z.string().min(1, "is empty; expected a directory").default("./experiments"),
    {
      fileKey: "backlogDir",
    },
  ),
  schedule: setting("SHIPLOOP_SCHEDULE", cron.default("0 9 * * 1"), { fileKey: "schedule" }),
  tz: setting("SHIPLOOP_TZ", timeZone.default("UTC"), { fileKey: "tz" }),
  windowMs: setting("SHIPLOOP_WINDOW", duration.default(7 * 86_400_000), { fileKey: "window" }),
  logLevel: setting("SHIPLOOP_LOG_LEVEL", logLevel.default("info"), { fileKey: "logLevel" }),
  httpPort: setting("SHIPLOOP_HTTP_PORT", port.default(8080), { fileKey: "http.port" }),
  httpHost: setting(
    "SHIPLOOP_HTTP_HOST",
    z.string().min(1, "is empty; expected a host name or address").default("127.0.0.1"),
    {
      fileKey: "http.host",
    },
  ),
  httpToken: setting("SHIPLOOP_HTTP_TOKEN", optionalText, { secret: true }),
  githubToken: setting("GITHUB_TOKEN", optionalText, { secret: true }),
  githubApiUrl: setting(
    "GITHUB_API_URL",
    url("https://api.github.com or your GitHub Enterprise API URL").default(
      "https://api.github.com",
    ),
    { fileKey: "github.apiUrl" },
  ),
  githubRepository: setting("GITHUB_REPOSITORY", repository.optional(), {
    fileKey: "github.repository",
  }),
  githubAppId: setting(
    "GITHUB_APP_ID",
    z.string().regex(/^\d+$/, "is not an app id; expected the numeric GitHub App id").optional(),
  ),
  githubAppPrivateKey: setting("GITHUB_APP_PRIVATE_KEY", optionalText, { secret: true }),
  githubWebhookSecret: setting("GITHUB_WEBHOOK_SECRET", optionalText, { secret: true }),
  statsigConsoleApiKey: setting("STATSIG_CONSOLE_API_KEY", optionalText, { secret: true }),
  statsigConsoleApiUrl: setting(
    "STATSIG_CONSOLE_API_URL",
    url("the Console API base URL").default("https://statsigapi.net/console/v1"),
    { fileKey: "statsig.consoleApiUrl" },
  ),
  statsigServerSecret: setting("STATSIG_SERVER_SECRET", optionalText, { secret: true }),
  statsigSpecsUrl: setting("STATSIG_SPECS_URL", url("the SDK's config specs URL").optional(), {
    fileKey: "statsig.specsUrl",
  }),
  statsigLogEventUrl: setting("STATSIG_LOG_EVENT_URL", url("the SDK's log event URL").optional(), {
    fileKey: "statsig.logEventUrl",
  }),
  posthogHost: setting(
    "POSTHOG_HOST",
    url("your PostHog host, e.g. https://eu.posthog.com").optional(),
    {
      fileKey: "posthog.host",
    },
  ),
  posthogProjectApiKey: setting("POSTHOG_PROJECT_API_KEY", optionalText, { secret: true }),
  posthogPersonalApiKey: setting("POSTHOG_PERSONAL_API_KEY", optionalText, { secret: true }),
  posthogProjectId: setting(
    "POSTHOG_PROJECT_ID",
    z
      .string()
      .regex(/^\d+$/, "is not a project id; expected the numeric PostHog project id")
      .optional(),
    { fileKey: "posthog.projectId" },
  ),
  eventsFile: setting("SHIPLOOP_EVENTS_FILE", optionalText, { fileKey: "eventsFile" }),
  hubspotAccessToken: setting("HUBSPOT_ACCESS_TOKEN", optionalText, { secret: true }),
  hubspotBasePath: setting("HUBSPOT_BASE_PATH", url("the HubSpot API base URL").optional(), {
    fileKey: "hubspot.basePath",
  }),
  eventsSecret: setting("SHIPLOOP_EVENTS_SECRET", optionalText, { secret: true }),
  // PQL routing: where the rule files live, Segment's signing secret for POST /events, and how
  // long an event id is remembered so a redelivery is not counted twice.
  pqlDir: setting("SHIPLOOP_PQL_DIR", z.string().min(1).default("./pql"), { fileKey: "pql.dir" }),
  segmentSecret: setting("SHIPLOOP_SEGMENT_SECRET", optionalText, { secret: true }),
  pqlDedupeTtlMs: setting("SHIPLOOP_PQL_DEDUPE_TTL", duration.default(86_400_000), {
    fileKey: "pql.dedupeTtl",
  }),
  // Worker tuning: how long a job's lock lasts before another worker may take the job over
  // (a crashed worker's step resumes after this), and how long shutdown waits for a job.
  lockMs: setting("SHIPLOOP_LOCK_DURATION", duration.default(30_000), { fileKey: "lockDuration" }),
  shutdownMs: setting("SHIPLOOP_SHUTDOWN_TIMEOUT", duration.default(10_000), {
    fileKey: "shutdownTimeout",
  }),
  // Sandbox mode: simulated users per "day" (a seventh of the window), and how long a
  // pretend pull request waits for its merge (default: half a "day").
  sandboxUsersPerDay: setting(
    "SHIPLOOP_SANDBOX_USERS_PER_DAY",
    z.coerce.number().int().positive("expected a positive whole number").default(3000),
    { fileKey: "sandbox.usersPerDay" },
  ),
  sandboxMergeDelayMs: setting("SHIPLOOP_SANDBOX_MERGE_DELAY", duration.optional(), {
    fileKey: "sandbox.mergeDelay",
  }),
} satisfies Record<string, Setting<unknown>>;

export type SettingValues = {
  [K in keyof typeof SETTINGS]: z.output<(typeof SETTINGS)[K]["schema"]>;
};
