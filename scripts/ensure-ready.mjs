#!/usr/bin/env node
// Makes `npm start` and `npm test` work on a fresh clone: install the locked dependencies
// when they are missing, and (with --build) compile the TypeScript. Plain Node, no deps.
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
