import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * Builds the CLI once before any test file runs, so tests that spawn `node dist/src/cli.js`
 * (the worker, kill-and-restart tests, the CLI's exit codes) share one fresh build.
 * Type errors do not stop the build here: `npm test` type-checks on its own before vitest,
 * and tsc still emits JavaScript, so one file being edited does not break every other test.
 */
export default function setup(): void {
  const build = spawnSync("npx", ["tsc", "-p", "tsconfig.build.json"], {
    encoding: "utf8",
    timeout: 180_000,
  });
  if (!existsSync("dist/src/cli.js")) {
    throw new Error(`the build produced no dist/src/cli.js:\n${build.stdout}${build.stderr}`);
  }
}
