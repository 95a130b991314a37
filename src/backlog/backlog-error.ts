/** One problem with one backlog file: which file, where in it, and what was expected. */
export interface BacklogError {
  file: string;
  /** Field path such as `ship.changes[0].replace.find`; absent for whole-file problems. */
  path?: string;
  line?: number;
  column?: number;
  message: string;
}

export function formatBacklogError(error: BacklogError): string {
  const where = error.line !== undefined ? `:${error.line}:${error.column ?? 1}` : "";
  const field = error.path ? ` ${error.path}:` : "";
  return `${error.file}${where}:${field} ${error.message}`;
}

/** `["ship", "changes", 0, "replace"]` → `ship.changes[0].replace`. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}
