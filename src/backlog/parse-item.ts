import { parseDocument } from "yaml";
import type { z } from "zod";
import { type BacklogItem, BacklogItemSchema } from "../domain/backlog-item.js";
import { type BacklogError, formatFieldPath } from "./backlog-error.js";

export type ParseResult = { ok: true; item: BacklogItem } | { ok: false; errors: BacklogError[] };

const YAML_FILE = /\.ya?ml$/i;

export function isBacklogFileName(name: string): boolean {
  return YAML_FILE.test(name);
}

/** The id a file must declare: its name without the extension. */
export function idFromFileName(name: string): string {
  return name.replace(YAML_FILE, "");
}

/**
 * Parses one backlog file's text. Never throws: every problem becomes a `BacklogError`
 * naming the file, the field path and what was expected.
 */
export function parseBacklogItem(file: string, text: string): ParseResult {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => ({
        file,
        line: e.linePos?.[0]?.line,
        column: e.linePos?.[0]?.col,
        message: `YAML syntax: ${firstLine(e.message)}`,
      })),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { ok: false, errors: [{ file, message: `YAML: ${firstLine(String(error))}` }] };
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    return {
      ok: false,
      errors: [{ file, message: "expected a mapping of fields (id, title, …)" }],
    };
  }

  const parsed = BacklogItemSchema.safeParse(data);
  const errors = parsed.success ? [] : parsed.error.issues.map((i) => fromIssue(file, i));
  const expectedId = idFromFileName(file.split("/").pop() ?? file);
  const id = (data as { id?: unknown }).id;
  if (typeof id === "string" && id !== expectedId) {
    errors.push({ file, path: "id", message: `"${id}" must equal the file name "${expectedId}"` });
  }
  if (errors.length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, item: parsed.data };
}

function fromIssue(file: string, issue: z.core.$ZodIssue): BacklogError {
  const path = formatFieldPath(issue.path);
  return path ? { file, path, message: issue.message } : { file, message: issue.message };
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}
