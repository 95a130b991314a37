import { execFileSync } from "node:child_process";

/**
 * Builds the CLI once before any test file runs, so tests that spawn `node dist/src/cli.js`
 * (the worker, kill-and-restart tests, the CLI's exit codes) share one fresh build.
 */
export default function setup(): void {
  execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { stdio: "inherit", timeout: 180_000 });
}
