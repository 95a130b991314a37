import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SETTINGS } from "../../src/config/settings.js";

// No container engine runs here, so these check what can be checked without one:
// the files parse, the image is built the way we intend, and compose speaks our settings.
const knownEnv = new Set(Object.values(SETTINGS).map((s) => s.env));

/** DESIGN.md's interface contract: the environment names tests and scripts rely on. */
const CONTRACT_ENV = [
  "REDIS_URL",
  "SHIPLOOP_PREFIX",
  "SHIPLOOP_BACKLOG_DIR",
  "SHIPLOOP_SCHEDULE",
  "SHIPLOOP_TZ",
  "SHIPLOOP_WINDOW",
  "SHIPLOOP_HTTP_PORT",
  "SHIPLOOP_HTTP_HOST",
  "SHIPLOOP_HTTP_TOKEN",
  "GITHUB_TOKEN",
  "GITHUB_API_URL",
  "GITHUB_REPOSITORY",
  "GITHUB_APP_ID",
  "GITHUB_APP_PRIVATE_KEY",
  "GITHUB_WEBHOOK_SECRET",
  "STATSIG_CONSOLE_API_KEY",
  "STATSIG_CONSOLE_API_URL",
  "STATSIG_SERVER_SECRET",
  "STATSIG_SPECS_URL",
  "STATSIG_LOG_EVENT_URL",
  "POSTHOG_HOST",
  "POSTHOG_PROJECT_API_KEY",
  "POSTHOG_PERSONAL_API_KEY",
  "POSTHOG_PROJECT_ID",
  "SHIPLOOP_EVENTS_FILE",
  "HUBSPOT_ACCESS_TOKEN",
  "HUBSPOT_BASE_PATH",
  "SHIPLOOP_EVENTS_SECRET",
];

/**
 * The directories the config reads when nothing is set (`./experiments`, `./pql`): the image
 * must hold them, or the worker in the container starts without its backlog or its rules.
 */
const defaultDirs = Object.values(SETTINGS).flatMap((s) => {
  const fallback = s.schema.safeParse(undefined);
  return fallback.success && typeof fallback.data === "string" && fallback.data.startsWith("./")
    ? [{ env: s.env, dir: fallback.data.slice(2) }]
    : [];
});

describe("docker-compose.yml", () => {
  const compose = parse(readFileSync("docker-compose.yml", "utf8"));

  it("runs Redis configured for a job queue: append-only and never evicting", () => {
    const command: string[] = compose.services.redis.command;
    expect(command.join(" ")).toMatch(/--appendonly yes/);
    expect(command.join(" ")).toMatch(/--maxmemory-policy noeviction/);
  });

  it("gives the worker only settings the config reads, and points it at the compose Redis", () => {
    const env: Record<string, string> = compose.services.worker.environment;
    for (const name of Object.keys(env))
      expect(knownEnv, `unknown setting ${name}`).toContain(name);
    expect(env.REDIS_URL).toBe("redis://redis:6379");
    expect(compose.services.worker.depends_on.redis.condition).toBe("service_healthy");
  });

  it("names every variable of DESIGN.md's interface contract", () => {
    const env: Record<string, string> = compose.services.worker.environment;
    expect(
      CONTRACT_ENV.filter((name) => !knownEnv.has(name)),
      "contract names the config lacks",
    ).toEqual([]);
    expect(CONTRACT_ENV.filter((name) => !(name in env))).toEqual([]);
  });

  it("mounts every directory the config reads by default where the worker looks for it", () => {
    const env: Record<string, string> = compose.services.worker.environment;
    const volumes: string[] = compose.services.worker.volumes;
    expect(defaultDirs.map((d) => d.dir)).toEqual(expect.arrayContaining(["experiments", "pql"]));
    for (const { env: name, dir } of defaultDirs) {
      expect(volumes, dir).toContain(`./${dir}:/app/${dir}:ro`);
      expect(env[name], name).toBe(`/app/${dir}`);
    }
  });
});

describe("Dockerfile", () => {
  const dockerfile = readFileSync("Dockerfile", "utf8");
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const final = stages.at(-1) ?? "";

  it("is multi-stage and installs only production dependencies in the final stage", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(final).toMatch(/npm ci --omit=dev/);
    expect(final).toMatch(/COPY --from=build/);
  });

  it("runs the worker as a non-root user", () => {
    expect(final).toMatch(/^USER (?!root)\S+/m);
    expect(final).toMatch(/^CMD \["node", "dist\/src\/cli\.js", "worker"\]/m);
  });

  it("copies every directory the config reads by default into the final stage", () => {
    for (const { env, dir } of defaultDirs) {
      expect(existsSync(dir), dir).toBe(true);
      expect(final, dir).toMatch(new RegExp(`^COPY ${dir} \\./${dir}$`, "m"));
      // Where the image points the setting (if it does), the copy must be.
      const set = final.match(new RegExp(`\\b${env}=(\\S+)`))?.[1];
      if (set !== undefined) expect(set, env).toBe(`/app/${dir}`);
    }
  });

  it("copies only paths that exist", () => {
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) =>
      (m[1] ?? "").split(" "),
    );
    for (const source of sources) expect(existsSync(source), source).toBe(true);
  });
});
