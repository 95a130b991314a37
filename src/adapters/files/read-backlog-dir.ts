import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { isBacklogFileName } from "../../backlog/parse-item.js";
import type { BacklogFile } from "../../backlog/validate-backlog.js";
import { UserError } from "../../domain/errors.js";

/**
 * Lists the regular files of the backlog directory (not recursive). Only YAML files are read;
 * the others are passed on by name so that `validate` can say they were ignored.
 */
export async function readBacklogDir(dir: string): Promise<BacklogFile[]> {
  let entries: import("node:fs").Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === "ENOENT"
        ? "does not exist"
        : code === "ENOTDIR"
          ? "is not a directory"
          : `cannot be read (${code})`;
    throw new UserError(
      "backlog-dir",
      `backlog directory ${dir} ${problem} (SHIPLOOP_BACKLOG_DIR)`,
    );
  }
  const files = entries.filter((e) => e.isFile());
  return Promise.all(
    files.map(async (e) => ({
      name: e.name,
      text: isBacklogFileName(e.name) ? await readFile(join(dir, e.name), "utf8") : "",
    })),
  );
}
