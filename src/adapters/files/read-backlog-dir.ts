import { isBacklogFileName } from "../../backlog/parse-item.js";
import type { BacklogFile } from "../../backlog/validate-backlog.js";
import { UserError } from "../../domain/errors.js";
import { DirUnreadable, readDirFiles } from "./read-dir-files.js";

/**
 * Lists the regular files of the backlog directory (not recursive). Only YAML files are read;
 * the others are passed on by name so that `validate` can say they were ignored.
 */
export async function readBacklogDir(dir: string): Promise<BacklogFile[]> {
  try {
    return await readDirFiles(dir, isBacklogFileName);
  } catch (error) {
    if (!(error instanceof DirUnreadable)) throw error;
    throw new UserError(
      "backlog-dir",
      `backlog directory ${dir} ${error.message} (SHIPLOOP_BACKLOG_DIR)`,
    );
  }
}
