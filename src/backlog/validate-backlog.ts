import type { BacklogItem } from "../domain/backlog-item.js";
import type { BacklogError } from "./backlog-error.js";
import { isBacklogFileName, parseBacklogItem } from "./parse-item.js";

export interface BacklogFile {
  name: string;
  text: string;
}

export interface Backlog {
  items: BacklogItem[];
  errors: BacklogError[];
  /** Files that were not YAML and so were not read as items. */
  ignored: string[];
}

/**
 * Validates a whole backlog. One bad file never hides the others: each file is judged on its
 * own, then ids are checked across files (the first file in name order keeps a duplicated id).
 */
export function validateBacklog(files: readonly BacklogFile[]): Backlog {
  const sorted = [...files].sort((a, b) => a.name.localeCompare(b.name));
  const items: BacklogItem[] = [];
  const errors: BacklogError[] = [];
  const ignored: string[] = [];
  const ownerOf = new Map<string, string>();

  for (const file of sorted) {
    if (!isBacklogFileName(file.name)) {
      ignored.push(file.name);
      continue;
    }
    const result = parseBacklogItem(file.name, file.text);
    if (!result.ok) {
      errors.push(...result.errors);
      continue;
    }
    const owner = ownerOf.get(result.item.id);
    if (owner) {
      errors.push({
        file: file.name,
        path: "id",
        message: `duplicate id "${result.item.id}", already used by ${owner}`,
      });
      continue;
    }
    ownerOf.set(result.item.id, file.name);
    items.push(result.item);
  }
  return { items, errors, ignored };
}
