import type { Dirent } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { UserError } from "../domain/errors.js";
import { isRuleFileName } from "./parse-rule.js";
import type { RuleFile } from "./validate-rules.js";

/** Reads the rule directory (not recursive): YAML files with their text, others by name. */
export async function readRulesDir(dir: string): Promise<RuleFile[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === "ENOENT" ? "does not exist" : `cannot be read (${code})`;
    throw new UserError("pql-dir", `PQL rule directory ${dir} ${problem} (SHIPLOOP_PQL_DIR)`);
  }
  return Promise.all(
    entries
      .filter((e) => e.isFile())
      .map(async (e) => ({
        name: e.name,
        text: isRuleFileName(e.name) ? await readFile(join(dir, e.name), "utf8") : "",
      })),
  );
}
