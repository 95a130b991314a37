import { type Document, LineCounter, parseDocument } from "yaml";
import type { z } from "zod";

/**
 * YAML files written by people (backlog items, PQL rules): reading one, and explaining a zod
 * issue the way its author thinks — what was expected, what was found, and a "did you mean"
 * for a misspelt field — so both kinds of file explain their mistakes in the same words.
 */

/** A message for zod's built-in issues that says what was expected (schema messages win). */
export function expectedMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === "invalid_type" && issue.input === undefined) {
    return `missing; expected ${typeWords(issue.expected)}`;
  }
  if (issue.code === "invalid_type") {
    return `expected ${typeWords(issue.expected)}, got ${describeValue(issue.input)}`;
  }
  if (issue.code === "invalid_value") {
    return `expected one of ${issue.values.map(String).join(", ")}, got ${describeValue(issue.input)}`;
  }
  if (issue.code === "invalid_union" && "discriminator" in issue && "options" in issue) {
    const options = (issue.options as unknown[]).map(String).join(", ");
    const input = issue.input as Record<string, unknown> | null | undefined;
    const value = input?.[String(issue.discriminator)];
    if (value === undefined) return `missing; expected one of ${options}`;
    return `expected one of ${options}, got ${describeValue(value)}`;
  }
  return undefined;
}

export function unknownFieldMessage(key: string, known: readonly string[]): string {
  if (known.length === 0) return "unknown field";
  const guess = known.find((k) => editDistance(k.toLowerCase(), key.toLowerCase()) <= 2);
  const hint = guess ? `did you mean "${guess}"? ` : "";
  return `unknown field; ${hint}expected one of ${known.join(", ")}`;
}

/** zod's type names in the words of a YAML author. */
const TYPE_WORDS: Record<string, string> = {
  object: "a mapping",
  record: "a mapping",
  array: "a list",
  string: "a string",
  number: "a number",
  boolean: "true or false",
};

function typeWords(expected: string): string {
  return TYPE_WORDS[expected] ?? expected;
}

export function describeValue(input: unknown): string {
  if (input === null) return "null";
  if (Array.isArray(input)) return "a list";
  if (typeof input === "string")
    return JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input);
  if (typeof input === "object") return "a mapping";
  return String(input);
}

export function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}

/** Levenshtein distance, for "did you mean". */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

export interface YamlProblem {
  file: string;
  line?: number;
  column?: number;
  message: string;
}

export type YamlMapping =
  | { ok: true; data: Record<string, unknown>; doc: Document; lineCounter: LineCounter }
  | { ok: false; errors: YamlProblem[] };

/**
 * Reads one YAML file that must hold a mapping. Never throws: syntax errors come back with
 * their line and column, and a file that is not a mapping says what it should hold.
 * `fields` names a few expected keys for that message, e.g. "id, title, hypothesis".
 */
export function readYamlMapping(file: string, text: string, fields: string): YamlMapping {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const { line, col } = lineCounter.linePos(e.pos[0]);
        return { file, line, column: col, message: `YAML syntax: ${firstLine(e.message)}` };
      }),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, errors: [{ file, message: `YAML: ${firstLine(message)}` }] };
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    return {
      ok: false,
      errors: [{ file, message: `expected a mapping of fields (${fields}, …)` }],
    };
  }
  return { ok: true, data: data as Record<string, unknown>, doc, lineCounter };
}
