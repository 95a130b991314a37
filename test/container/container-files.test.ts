import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SETTINGS } from "../../src/config/settings.js";

// No container engine runs here, so these check what can be checked without one:
// the files parse, the image is built the way we intend, and compose speaks our settings.
const knownEnv = new Set(Object.values(SETTINGS).map((s) => s.env));

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

  it("copies only paths that exist", () => {
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) =>
      (m[1] ?? "").split(" "),
    );
    for (const source of sources) expect(existsSync(source), source).toBe(true);
  });
});
