import type { FileChange } from "../../domain/backlog-item.js";
import { UserError } from "../../domain/errors.js";

/**
 * The new text of every changed file, from the files' text at the base commit. A `replace`
 * must find its text exactly once (overlapping matches count), else the item is blocked with
 * a message naming the file and the text. Several changes to one file apply in order, each to
 * the result of the one before.
 */
export function applyFileChanges(
  changes: readonly FileChange[],
  baseText: ReadonlyMap<string, string>,
  where: string,
): Map<string, string> {
  const out = new Map<string, string>();
  changes.forEach((change, index) => {
    if ("content" in change) {
      out.set(change.path, change.content);
      return;
    }
    const current = out.get(change.path) ?? baseText.get(change.path);
    if (current === undefined) {
      throw new Error(`no base text fetched for ${change.path}`);
    }
    const { find, with: replacement } = change.replace;
    const count = occurrences(current, find);
    if (count !== 1) {
      throw new UserError(
        "stale-replace",
        `${change.path} in ${where}: the text ${quote(find)} is found ${count === 0 ? "nowhere" : `${count} times`}; ` +
          `a replace must match exactly once (ship.changes[${index}].replace.find)`,
      );
    }
    const at = current.indexOf(find);
    out.set(change.path, current.slice(0, at) + replacement + current.slice(at + find.length));
  });
  return out;
}

/** Paths whose text at the base commit is needed: those whose first change is a `replace`. */
export function pathsToRead(changes: readonly FileChange[]): string[] {
  const first = new Map<string, FileChange>();
  for (const change of changes) if (!first.has(change.path)) first.set(change.path, change);
  return [...first.values()].filter((c) => "replace" in c).map((c) => c.path);
}

function occurrences(text: string, find: string): number {
  let count = 0;
  for (let at = text.indexOf(find); at !== -1; at = text.indexOf(find, at + 1)) count += 1;
  return count;
}

function quote(text: string): string {
  const shown = text.length > 120 ? `${text.slice(0, 117)}…` : text;
  return JSON.stringify(shown);
}
