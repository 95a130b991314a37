import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readConfigFile } from "../../src/adapters/files/read-config-file.js";
import { buildConfig, ConfigError, type ConfigFile } from "../../src/config/config.js";

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

const fileOf = (data: Record<string, unknown>): ConfigFile => ({
  path: "shiploop.config.yaml",
  data,
});

describe("buildConfig defaults (DESIGN.md interface contract)", () => {
  it("match the documented defaults with an empty environment", () => {
    const config = buildConfig({});
    expect(config).toMatchObject({
      redisUrl: "redis://127.0.0.1:6379",
      prefix: "shiploop",
      backlogDir: "./experiments",
      schedule: "0 9 * * 1",
      tz: "UTC",
      windowMs: 7 * 86_400_000,
      httpPort: 8080,
      httpHost: "127.0.0.1",
      githubApiUrl: "https://api.github.com",
      statsigConsoleApiUrl: "https://statsigapi.net/console/v1",
      secrets: [],
    });
    for (const unset of ["githubToken", "githubRepository", "statsigConsoleApiKey", "eventsFile"]) {
      expect(config[unset as keyof typeof config], unset).toBeUndefined();
    }
  });

  it("uses the product event names of DESIGN.md", () => {
    expect(Object.values(buildConfig({}).events).sort()).toEqual(
      [
        "signed_up",
        "activated",
        "invited_teammate",
        "saved_workflow",
        "viewed_pricing",
        "subscription_started",
        "mrr_changed",
        "subscription_cancelled",
      ].sort(),
    );
  });

  it("treats an empty variable as unset", () => {
    expect(buildConfig({ SHIPLOOP_WINDOW: "", GITHUB_TOKEN: "" })).toMatchObject({
      windowMs: 7 * 86_400_000,
      githubToken: undefined,
      secrets: [],
    });
  });
});

describe("buildConfig sources", () => {
  it("reads every setting from the environment", () => {
    const config = buildConfig({
      REDIS_URL: "rediss://:pw@redis.internal:6380",
      SHIPLOOP_PREFIX: "{shiploop-test}",
      SHIPLOOP_BACKLOG_DIR: "/srv/backlog",
      SHIPLOOP_SCHEDULE: "30 8 * * 2",
      SHIPLOOP_TZ: "Europe/Berlin",
      SHIPLOOP_WINDOW: "90m",
      SHIPLOOP_HTTP_PORT: "9090",
      GITHUB_REPOSITORY: "acme/webapp",
      GITHUB_API_URL: "https://ghe.acme.test/api/v3/",
    });
    expect(config).toMatchObject({
      redisUrl: "rediss://:pw@redis.internal:6380",
      prefix: "{shiploop-test}",
      backlogDir: "/srv/backlog",
      schedule: "30 8 * * 2",
      tz: "Europe/Berlin",
      windowMs: 90 * 60_000,
      httpPort: 9090,
      githubRepository: "acme/webapp",
      githubApiUrl: "https://ghe.acme.test/api/v3",
    });
  });

  it("takes settings from the config file, and the environment wins over it", () => {
    const file = fileOf({
      window: "14d",
      prefix: "from-file",
      http: { port: 7070, host: "0.0.0.0" },
      events: { activation: "project_created" },
    });
    const config = buildConfig({ SHIPLOOP_PREFIX: "from-env" }, file);
    expect(config).toMatchObject({
      windowMs: 14 * 86_400_000,
      prefix: "from-env",
      httpPort: 7070,
      httpHost: "0.0.0.0",
    });
    expect(config.events.activation).toBe("project_created");
    expect(config.events.signup).toBe("signed_up");
  });

  it("collects the values of secret settings so output can mask them", () => {
    const config = buildConfig({ GITHUB_TOKEN: "ghp_abc123", HUBSPOT_ACCESS_TOKEN: "pat-xyz789" });
    expect(config.secrets.sort()).toEqual(["ghp_abc123", "pat-xyz789"]);
  });
});

describe("a bad setting is a ConfigError with one line: setting, problem, expectation", () => {
  it.each([
    ["SHIPLOOP_WINDOW", "7x", /is not a duration; expected .*ms, s, m, h or d/],
    ["SHIPLOOP_HTTP_PORT", "99999", /is not a port; expected a whole number 1\.\.65535/],
    ["SHIPLOOP_HTTP_PORT", "http", /is not a port; expected/],
    ["SHIPLOOP_SCHEDULE", "bad", /is not a cron expression; expected five fields/],
    ["SHIPLOOP_TZ", "Mars/Base", /is not a time zone; expected an IANA name/],
    ["REDIS_URL", "http://x", /is not a Redis URL; expected redis:\/\//],
    ["GITHUB_REPOSITORY", "nope", /is not a repository; expected owner\/name/],
    ["SHIPLOOP_PREFIX", "ship:loop", /is not a key prefix; expected .*without ':'/],
    ["GITHUB_API_URL", "api.github.com", /is not a URL; expected/],
    ["GITHUB_APP_ID", "my-app", /is not an app id; expected/],
  ])("%s=%s", (name, value, problem) => {
    const error = configError(() => buildConfig({ [name]: value }));
    expect(error.setting).toBe(name);
    expect(error.code).toBe("config");
    expect(error.kind).toBe("user");
    expect(error.message).not.toContain("\n");
    expect(error.message.startsWith(`${name} `)).toBe(true);
    expect(error.message).toMatch(problem);
    expect(error.message).toContain(`(got "${value}")`);
  });

  it("names the config file and key when the bad value came from the file", () => {
    const error = configError(() => buildConfig({}, fileOf({ http: { port: 0 } })));
    expect(error.message).toMatch(/^shiploop\.config\.yaml: http\.port is not a port; expected/);
  });

  it("never echoes a secret, even one pasted into another setting", () => {
    const token = "ghp_SuperSecretToken123";
    const error = configError(() =>
      buildConfig({ GITHUB_TOKEN: token, GITHUB_REPOSITORY: `acme ${token}` }),
    );
    expect(error.setting).toBe("GITHUB_REPOSITORY");
    expect(error.message).not.toContain(token);
    expect(error.message).toContain("[redacted]");
  });

  it("never echoes the password of a URL", () => {
    const error = configError(() => buildConfig({ REDIS_URL: "http://:hunter2-pw@cache:6379" }));
    expect(error.message).not.toContain("hunter2-pw");
    expect(error.message).toContain("http://:***@cache:6379");
  });

  it.each([
    [{ windw: "7d" }, /unknown setting "windw"; expected one of .*window/],
    [{ http: { prot: 1 } }, /unknown setting "http\.prot"; expected one of http\.host, http\.port/],
    [{ events: { signups: "x" } }, /unknown event "events\.signups"; expected one of signup/],
  ])("an unknown config-file key: %j", (data, message) => {
    const error = configError(() => buildConfig({}, fileOf(data)));
    expect(error.message).toMatch(/^shiploop\.config\.yaml: /);
    expect(error.message).toMatch(message);
  });
});

describe("readConfigFile", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "shiploop-config-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads a mapping of settings", async () => {
    const path = join(dir, "shiploop.config.yaml");
    await writeFile(path, "window: 3d\nhttp:\n  port: 8081\n");
    expect(readConfigFile(path)).toEqual({ path, data: { window: "3d", http: { port: 8081 } } });
  });

  it("reports a syntax error with line and column", async () => {
    const path = join(dir, "shiploop.config.yaml");
    await writeFile(path, "window: 3d\nhttp: { port: 8081\nprefix: x\n");
    const error = configError(() => readConfigFile(path));
    expect(error.message).toMatch(new RegExp(`^${path}:\\d+:\\d+: YAML syntax: `));
    expect(error.message).not.toContain("\n");
  });

  it("reports a file that is not a mapping", async () => {
    const path = join(dir, "list.yaml");
    await writeFile(path, "- window\n");
    expect(configError(() => readConfigFile(path)).message).toBe(
      `${path}: expected a mapping of settings`,
    );
  });

  it("reports a missing file that was asked for by SHIPLOOP_CONFIG", () => {
    const path = join(dir, "missing.yaml");
    const error = configError(() => readConfigFile(path));
    expect(error.message).toMatch(/^SHIPLOOP_CONFIG: cannot read .*missing\.yaml \(ENOENT\)/);
  });
});
