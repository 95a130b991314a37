import { isRuleFileName, parsePqlRule, type RuleError } from "./parse-rule.js";
import type { PqlRule } from "./rule-schema.js";

export interface RuleFile {
  name: string;
  text: string;
}

export interface RuleSet {
  rules: PqlRule[];
  errors: RuleError[];
  ignored: string[];
}

/** Validates every rule file on its own; a bad file never hides the others. */
export function validateRules(files: readonly RuleFile[]): RuleSet {
  const sorted = [...files].sort((a, b) => a.name.localeCompare(b.name));
  const rules: PqlRule[] = [];
  const errors: RuleError[] = [];
  const ignored: string[] = [];
  const owners = new Map<string, string>();
  for (const file of sorted) {
    if (!isRuleFileName(file.name)) {
      ignored.push(file.name);
      continue;
    }
    const result = parsePqlRule(file.name, file.text);
    if (!result.ok) {
      errors.push(...result.errors);
      continue;
    }
    const owner = owners.get(result.rule.id);
    if (owner) {
      errors.push({
        file: file.name,
        path: "id",
        message: `duplicate id "${result.rule.id}", already used by ${owner}`,
      });
      continue;
    }
    owners.set(result.rule.id, file.name);
    rules.push(result.rule);
  }
  return { rules, errors, ignored };
}
