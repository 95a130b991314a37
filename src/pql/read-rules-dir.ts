import { resolve } from "node:path";
import { DirUnreadable, readDirFiles } from "../adapters/files/read-dir-files.js";
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
  try {
    return { files: await readDirFiles(dir, isRuleFileName), missing: false };
  } catch (error) {
    if (!(error instanceof DirUnreadable)) throw error;
    if (error.code === "ENOENT" && resolve(dir) === resolve(DEFAULT_PQL_DIR))
      return { files: [], missing: true };
    throw new UserError(
      "pql-dir",
      `PQL rule directory ${dir} ${error.message}; SHIPLOOP_PQL_DIR (or pql.dir in the config file) must name a directory of rule files, or be unset for ${DEFAULT_PQL_DIR}`,
    );
  }
}

/** The rule directory's files; none when the default directory does not exist. */
export async function readRulesDir(dir: string): Promise<RuleFile[]> {
  return (await scanRulesDir(dir)).files;
}
