import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SETTINGS } from "../../src/config/settings.js";

// The README is the set-up guide; these keep it true as settings and commands are added.
const readme = readFileSync("README.md", "utf8");

describe("README", () => {
  it("shows the two set-up commands", () => {
    expect(readme).toMatch(/^npm start/m);
    expect(readme).toMatch(/^npm test/m);
  });

  it("documents every setting the config reads", () => {
    const missing = Object.values(SETTINGS)
      .map((s) => s.env)
      .filter((env) => !readme.includes(`\`${env}\``));
    expect(missing).toEqual([]);
  });

  it("documents every command of the CLI", () => {
    const help = execFileSync(process.execPath, ["dist/src/cli.js", "--help"], {
      encoding: "utf8",
    });
    const commands = [...help.matchAll(/^ {2}([a-z][a-z-]*)/gm)]
      .map((m) => m[1])
      .filter((c) => c !== "help");
    expect(commands.length).toBeGreaterThan(10);
    expect(commands.filter((c) => !readme.includes(`\`${c}`))).toEqual([]);
  });
});
