import { type ChildProcess, spawn } from "node:child_process";
import { REDIS_URL } from "./redis.js";

export interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Every worker a test started; killed when the test process exits, even after a failed test. */
const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** Starts `shiploop worker` from the build as its own process, the way production runs it. */
export function spawnWorker(env: Record<string, string>): WorkerProcess {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^(GITHUB_|STATSIG_|POSTHOG_|HUBSPOT_|SHIPLOOP_)/.test(key),
    ),
  );
  const child = spawn(process.execPath, ["dist/src/cli.js", "worker"], {
    env: {
      ...clean,
      REDIS_URL,
      SHIPLOOP_LOG_LEVEL: "info",
      SHIPLOOP_LOCK_DURATION: "1s",
      SHIPLOOP_SHUTDOWN_TIMEOUT: "3s",
      // Each worker's status server on its own port; a clash would only be logged.
      SHIPLOOP_HTTP_PORT: String(20_000 + Math.floor(Math.random() * 40_000)),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  child.on("exit", () => running.delete(child));
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on("exit", (code, signal) => resolve({ code, signal }));
  });
  return {
    child,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}
