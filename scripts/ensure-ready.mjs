#!/usr/bin/env node
// Makes `npm start` and `npm test` work on a fresh clone: install the locked dependencies
// when they are missing, (with --build) compile the TypeScript, and (with --browser) make
// sure Debian's chromium is there for the page tests. Plain Node, no deps.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const run = (args) => execFileSync(npm, args, { stdio: "inherit" });

if (!existsSync("node_modules/.package-lock.json")) {
  console.error("shiploop: installing dependencies (npm ci)…");
  run(["ci", "--no-audit", "--no-fund"]);
}
if (process.argv.includes("--build")) {
  run(["run", "--silent", "build"]);
}

const CHROMIUM = "/usr/bin/chromium";
if (process.argv.includes("--browser") && !existsSync(CHROMIUM)) {
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !existsSync("/usr/bin/apt-get")) {
    console.error(
      `shiploop: the page tests drive ${CHROMIUM}, which is missing; install it with ` +
        "`sudo apt-get install chromium` and run npm test again",
    );
    process.exit(1);
  }
  console.error(`shiploop: ${CHROMIUM} missing; installing Debian's chromium for the page tests…`);
  const apt = (args) =>
    execFileSync("apt-get", args, {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  apt(["update", "-qq"]);
  apt(["install", "-y", "-qq", "chromium"]);
}
