import { type Document, isNode, type LineCounter } from "yaml";
import type { z } from "zod";
import { type BacklogError, formatFieldPath } from "../backlog/backlog-error.js";
import { expectedMessage, readYamlMapping, unknownFieldMessage } from "../domain/yaml-file.js";
import { CONDITION_KEYS, type PqlRule, PqlRuleSchema } from "./rule-schema.js";

/** One problem with one rule file: file, field path, YAML line:col, what was expected. */
export type RuleError = BacklogError;

export type RuleParseResult = { ok: true; rule: PqlRule } | { ok: false; errors: RuleError[] };

type Issue = z.core.$ZodIssue;

const YAML_FILE = /\.ya?ml$/i;
const RULE_KEYS = [
  "id",
  "title",
  "description",
  "level",
  "within",
  "score",
  "cooldown",
  "all",
  "any",
  "not",
];

export function isRuleFileName(name: string): boolean {
  return YAML_FILE.test(name);
}

/**
 * Parses one `pql/<id>.yaml`. Never throws: every problem names the file, the field path, the
 * line and column in the YAML, and what was expected.
 */
export function parsePqlRule(file: string, text: string): RuleParseResult {
  const yaml = readYamlMapping(file, text, "id, title, within, score, all");
  if (!yaml.ok) return yaml;
  const { data, doc, lineCounter } = yaml;
  const where = (path: readonly PropertyKey[]) => position(doc, lineCounter, path);
  const parsed = PqlRuleSchema.safeParse(data, { error: expectedMessage });
  const errors: RuleError[] = parsed.success
    ? []
    : parsed.error.issues.flatMap((issue) =>
        explain(issue, [], data).map((e) => ({ file, ...where(e.path), ...render(e) })),
      );
  const expectedId = (file.split(/[\\/]/).pop() ?? file).replace(YAML_FILE, "");
  const id = (data as { id?: unknown }).id;
  if (typeof id === "string" && id !== expectedId) {
    errors.push({
      file,
      ...where(["id"]),
      path: "id",
      message: `"${id}" must equal the file name "${expectedId}"`,
    });
  }
  if (errors.length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, rule: parsed.data };
}

interface Explained {
  path: PropertyKey[];
  message: string;
}

function render(e: Explained): Pick<RuleError, "path" | "message"> {
  const path = formatFieldPath(e.path);
  return path ? { path, message: e.message } : { message: e.message };
}

/** A failed condition union is explained by the branch the author evidently meant (fewest problems). */
function explain(issue: Issue, base: readonly PropertyKey[], data: unknown): Explained[] {
  const path = [...base, ...issue.path];
  if (issue.code === "invalid_union" && issue.errors.length > 0) {
    if (isWhere(path.slice(0, -1))) {
      return [
        { path, message: "expected a value or a test such as { gte: 100 } or { in: [a, b] }" },
      ];
    }
    // A condition without all/any/not was meant as an event condition (the first branch).
    const node = valueAt(data, path);
    const meantEvent =
      node !== null && typeof node === "object" && !["all", "any", "not"].some((k) => k in node);
    const fewest = Math.min(...issue.errors.map((b) => b.length));
    const best = meantEvent ? [issue.errors[0]] : issue.errors.filter((b) => b.length === fewest);
    if (best.length === 1 && best[0]) return best[0].flatMap((i) => explain(i, path, data));
    return [{ path, message: conditionHint(path) }];
  }
  if (issue.code === "unrecognized_keys") {
    const known = path.length === 0 ? RULE_KEYS : isWhere(path) ? [] : CONDITION_KEYS;
    return issue.keys.map((key) => ({
      path: [...path, key],
      message: unknownFieldMessage(key, known),
    }));
  }
  return [{ path, message: issue.message }];
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let node = data;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function isWhere(path: readonly PropertyKey[]): boolean {
  return path.at(-1) === "where";
}

function conditionHint(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "expected a rule mapping";
  return "is not a condition; expected {event, atLeast?, distinctBy?, where?}, {all: [...]}, {any: [...]} or {not: {...}}";
}

/** Line and column of the deepest node on `path` that exists in the document. */
function position(
  doc: Document,
  counter: LineCounter,
  path: readonly PropertyKey[],
): { line?: number; column?: number } {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range) {
      const { line, col } = counter.linePos(node.range[0]);
      return { line, column: col };
    }
  }
  return {};
}
