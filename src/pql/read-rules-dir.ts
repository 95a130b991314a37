import type { Dirent } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { SETTINGS } from "../config/settings.js";
import { UserError } from "../domain/errors.js";
import { isRuleFileName } from "./parse-rule.js";
import type { RuleFile } from "./validate-rules.js";

/** Where the rules are looked for when SHIPLOOP_PQL_DIR is not set (`./pql`). */
export const DEFAULT_PQL_DIR = SETTINGS.pqlDir.schema.parse(undefined);

export interface RulesDir {
  files: RuleFile[];
  /** The default directory does not exist: a deployment without PQL rules, not a mistake. */
  missing: boolean;
}

/**
 * Reads the rule directory (not recursive): YAML files with their text, others by name.
 * The default `./pql` may be absent (no rules, like an empty backlog); a directory someone named
 * in SHIPLOOP_PQL_DIR (or `pql.dir`) that does not exist is their mistake: a `UserError` naming
 * the setting.
 */
export async function scanRulesDir(dir: string): Promise<RulesDir> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && resolve(dir) === resolve(DEFAULT_PQL_DIR))
      return { files: [], missing: true };
    const problem =
      code === "ENOENT"
        ? "does not exist"
        : code === "ENOTDIR"
          ? "is not a directory"
          : `cannot be read (${code})`;
    throw new UserError(
      "pql-dir",
      `PQL rule directory ${dir} ${problem}; SHIPLOOP_PQL_DIR (or pql.dir in the config file) must name a directory of rule files, or be unset for ${DEFAULT_PQL_DIR}`,
    );
  }
  const files = await Promise.all(
    entries
      .filter((e) => e.isFile())
      .map(async (e) => ({
        name: e.name,
        text: isRuleFileName(e.name) ? await readFile(join(dir, e.name), "utf8") : "",
      })),
  );
  return { files, missing: false };
}

/** The rule directory's files; none when the default directory does not exist. */
export async function readRulesDir(dir: string): Promise<RuleFile[]> {
  return (await scanRulesDir(dir)).files;
}
