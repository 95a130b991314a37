import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

export interface DirFile {
  name: string;
  /** The file's text when `wanted(name)`, else empty: the caller still learns it was there. */
  text: string;
}

/** Why a directory could not be listed, in words for an error message. */
export class DirUnreadable extends Error {
  constructor(
    readonly dir: string,
    readonly code: string | undefined,
  ) {
    super(
      code === "ENOENT"
        ? "does not exist"
        : code === "ENOTDIR"
          ? "is not a directory"
          : `cannot be read (${code})`,
    );
  }
}

/**
 * The regular files of a directory (not recursive), reading only the wanted ones: the backlog
 * and the PQL rules both keep one YAML file per entry and pass other files on by name, so that
 * `validate` can say they were ignored.
 */
export async function readDirFiles(
  dir: string,
  wanted: (name: string) => boolean,
): Promise<DirFile[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
    throw new DirUnreadable(dir, (error as NodeJS.ErrnoException).code);
  });
  return Promise.all(
    entries
      .filter((e) => e.isFile())
      .map(async (e) => ({
        name: e.name,
        text: wanted(e.name) ? await readFile(join(dir, e.name), "utf8") : "",
      })),
  );
}
