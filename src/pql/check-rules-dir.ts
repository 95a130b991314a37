import { join } from "node:path";
import type { BacklogError } from "../backlog/backlog-error.js";
import { UserError } from "../domain/errors.js";
import { scanRulesDir } from "./read-rules-dir.js";
import type { PqlRule } from "./rule-schema.js";
import { validateRules } from "./validate-rules.js";

export interface RulesDirReport {
  dir: string;
  rules: PqlRule[];
  /** Each bad rule file's problems, its `file` as a path (`pql/team-adoption.yaml`). */
  errors: BacklogError[];
  ignored: string[];
  /** The default directory does not exist: no rules, and nothing wrong. */
  missing: boolean;
  /** The directory the settings name cannot be read: what is wrong, naming the setting. */
  problem?: string;
}

/** Everything `shiploop validate` says about the PQL rule directory; never throws a user error. */
export async function checkRulesDir(dir: string): Promise<RulesDirReport> {
  try {
    const scan = await scanRulesDir(dir);
    const set = validateRules(scan.files);
    return {
      dir,
      rules: set.rules,
      errors: set.errors.map((e) => ({ ...e, file: join(dir, e.file) })),
      ignored: set.ignored,
      missing: scan.missing,
    };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return { dir, rules: [], errors: [], ignored: [], missing: false, problem: error.message };
  }
}
