import type { z } from "zod";
import { type BacklogItem, BacklogItemSchema } from "../domain/backlog-item.js";
import { expectedMessage, readYamlMapping, unknownFieldMessage } from "../domain/yaml-file.js";
import { type BacklogError, formatFieldPath } from "./backlog-error.js";

export type ParseResult = { ok: true; item: BacklogItem } | { ok: false; errors: BacklogError[] };

type Issue = z.core.$ZodIssue;

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
  const yaml = readYamlMapping(file, text, "id, title, hypothesis");
  if (!yaml.ok) return yaml;
  const { data } = yaml;

  const parsed = BacklogItemSchema.safeParse(data, { error: expectedMessage });
  const errors = parsed.success
    ? []
    : parsed.error.issues.flatMap((i) => explainIssue(i, [], data)).map((e) => ({ file, ...e }));
  const expectedId = idFromFileName(file.split(/[\\/]/).pop() ?? file);
  const id = (data as { id?: unknown }).id;
  if (typeof id === "string" && id !== expectedId) {
    errors.push({ file, path: "id", message: `"${id}" must equal the file name "${expectedId}"` });
  }
  if (errors.length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, item: parsed.data };
}

type Explained = Omit<BacklogError, "file">;

/**
 * Turns one zod issue into field-path errors. A failed plain union (a file change is either
 * `replace` or `content`) is explained by the branch the author evidently meant — the one with
 * the fewest problems — so a deep mistake is named at its own path, not at the union.
 */
function explainIssue(issue: Issue, base: readonly PropertyKey[], data: unknown): Explained[] {
  const path = [...base, ...issue.path];
  if (issue.code === "invalid_union" && issue.errors.length > 0) {
    const sizes = issue.errors.map((branch) => branch.length);
    const fewest = Math.min(...sizes);
    const best = issue.errors.filter((branch) => branch.length === fewest);
    if (best.length === 1 && best[0]) return best[0].flatMap((i) => explainIssue(i, path, data));
  }
  if (issue.code === "unrecognized_keys") {
    const known = knownKeys(path, data);
    return issue.keys.map((key) => ({
      path: formatFieldPath([...path, key]),
      message: unknownFieldMessage(key, known),
    }));
  }
  const field = formatFieldPath(path);
  return [field ? { path: field, message: issue.message } : { message: issue.message }];
}

/** The field names the schema allows for the object at `path` (best effort, for hints). */
function knownKeys(path: readonly PropertyKey[], data: unknown): string[] {
  let schemas: z.core.$ZodType[] = [BacklogItemSchema];
  let node = data;
  const step = (schema: z.core.$ZodType): z.core.$ZodType[] => {
    const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
    if (def.type === "optional" || def.type === "default" || def.type === "nullable") {
      return step(def.innerType as z.core.$ZodType);
    }
    if (def.type === "union") return (def.options as z.core.$ZodType[]).flatMap(step);
    if (def.type === "pipe") return step(def.in as z.core.$ZodType);
    return [schema];
  };
  const shapes = (): Record<string, z.core.$ZodType>[] => {
    const objects = schemas.flatMap(step).flatMap((s) => {
      const def = s._zod.def as unknown as {
        type: string;
        shape?: Record<string, z.core.$ZodType>;
      };
      return def.type === "object" && def.shape ? [def.shape] : [];
    });
    // Prefer the variant whose `kind` literal matches the data (discriminated unions).
    const kind = (node as { kind?: unknown } | null)?.kind;
    const matching = objects.filter((shape) => {
      const literal = shape.kind?._zod.def as { type?: string; values?: unknown[] } | undefined;
      return literal?.type === "literal" && literal.values?.includes(kind);
    });
    return matching.length > 0 ? matching : objects;
  };
  for (const key of path) {
    if (typeof key === "number") {
      schemas = schemas.flatMap(step).flatMap((s) => {
        const def = s._zod.def as unknown as { type: string; element?: z.core.$ZodType };
        return def.type === "array" && def.element ? [def.element] : [];
      });
    } else {
      schemas = shapes().flatMap((shape) => {
        const child = shape[String(key)];
        return child ? [child] : [];
      });
    }
    node =
      node !== null && typeof node === "object"
        ? (node as Record<PropertyKey, unknown>)[key]
        : undefined;
  }
  return [...new Set(shapes().flatMap(Object.keys))];
}
