import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { UserError } from "../../src/domain/errors.js";
import { DEFAULT_PQL_DIR, readRulesDir } from "../../src/pql/read-rules-dir.js";
import { loadRules } from "../../src/pql/start-pql-routing.js";
import { REDIS_URL, removePrefix, testRedis, uniquePrefix, waitFor } from "../support/redis.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function capture() {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino(
    { level: "info" },
    { write: (line: string) => lines.push(JSON.parse(line) as { level: number; msg: string }) },
  );
  return { logger, lines };
}

describe("the PQL rule directory", () => {
  it("is ./pql by default", () => {
    expect(DEFAULT_PQL_DIR).toBe("./pql");
  });

  it("named in SHIPLOOP_PQL_DIR but missing: an error naming the setting, and no rules", async () => {
    const missing = join(tmpdir(), `shiploop-no-such-dir-${process.pid}`);
    const error = await readRulesDir(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toContain(`PQL rule directory ${missing} does not exist`);
    expect((error as Error).message).toContain("SHIPLOOP_PQL_DIR");

    // The worker's routing says so once, at error level, and runs on without rules.
    const { logger, lines } = capture();
    expect(await loadRules(missing, logger)).toEqual([]);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.level).toBe(50);
    expect(lines[0]?.msg).toContain("SHIPLOOP_PQL_DIR");
  });

  it("missing at the default place: the worker starts its schedule and status server, no rules", async () => {
    // A working directory with no ./pql, as in an image that holds only the backlog.
    const cwd = mkdtempSync(join(tmpdir(), "shiploop-no-pql-"));
    const prefix = uniquePrefix("no-pql");
    const redis = testRedis();
    const port = 20_000 + Math.floor(Math.random() * 40_000);
    const env: NodeJS.ProcessEnv = Object.fromEntries(
      Object.entries(process.env).filter(
        ([key]) => !/^(GITHUB_|STATSIG_|POSTHOG_|HUBSPOT_|SHIPLOOP_)/.test(key),
      ),
    );
    const child: ChildProcess = spawn(process.execPath, [join(ROOT, "dist/src/cli.js"), "worker"], {
      cwd,
      env: {
        ...env,
        REDIS_URL,
        SHIPLOOP_PREFIX: prefix,
        SHIPLOOP_BACKLOG_DIR: join(ROOT, "experiments"),
        SHIPLOOP_HTTP_PORT: String(port),
        SHIPLOOP_SHUTDOWN_TIMEOUT: "2s",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr?.on("data", (chunk) => {
      output += chunk;
    });
    const exited = new Promise((resolve) => child.on("exit", resolve));
    cleanups.push(
      () => rmSync(cwd, { recursive: true, force: true }),
      async () => {
        await removePrefix(redis, prefix);
        redis.disconnect();
      },
      async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
        await exited;
      },
    );
    await waitFor("the weekly kickoff to be scheduled", async () =>
      output.includes("weekly kickoff scheduled") ? true : undefined,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n--- worker output ---\n${output}`);
    });
    expect(output).toContain("status server listening");
    expect(output).toContain("no PQL rules: ./pql does not exist");
    expect(output).not.toMatch(/"level":50/);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
  });
});
