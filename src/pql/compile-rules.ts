import { type Condition, conditionOf, type PqlRule, type PropertyFilter } from "./rule-schema.js";

/** A filter in the evaluation script's terms. */
export interface CompiledFilter {
  k: string;
  op: "eq" | "ne" | "gt" | "gte" | "lt" | "lte" | "in" | "exists";
  v: unknown;
}

/** A condition node as the Lua script reads it (short keys: it is decoded on every event). */
export type CompiledNode =
  | { t: "e"; e: string; n: number; d?: string; f?: CompiledFilter[] }
  | { t: "all" | "any"; c: CompiledNode[] }
  | { t: "not"; c: CompiledNode };

export interface CompiledRule {
  id: string;
  level: "user" | "account";
  w: number;
  cd: number;
  score: number;
  root: CompiledNode;
}

/** What the intake must keep of one event name, and which rules its arrival can fire. */
export interface EventPlan {
  /** Property names to keep on the stored occurrence (distinctBy and filter keys). */
  keep: string[];
  /** Longest window over rules reading this event per level (0: not kept at that level). */
  userWindow: number;
  accountWindow: number;
  /** JSON of each rule with a positive (non-negated) condition on this event. */
  fires: string[];
}

export interface CompiledRules {
  rules: CompiledRule[];
  byEvent: Map<string, EventPlan>;
}

export function compileRules(rules: readonly PqlRule[]): CompiledRules {
  const byEvent = new Map<string, EventPlan>();
  const compiled: CompiledRule[] = [];
  for (const rule of rules) {
    const root = compileNode(conditionOf(rule));
    const c: CompiledRule = {
      id: rule.id,
      level: rule.level,
      w: rule.within,
      cd: rule.cooldown,
      score: rule.score,
      root,
    };
    compiled.push(c);
    const json = JSON.stringify(c);
    for (const { leaf, negated } of leaves(root, false)) {
      const plan = byEvent.get(leaf.e) ?? { keep: [], userWindow: 0, accountWindow: 0, fires: [] };
      for (const key of [leaf.d, ...(leaf.f ?? []).map((f) => f.k)]) {
        if (key && key !== "distinct_id" && !plan.keep.includes(key)) plan.keep.push(key);
      }
      if (rule.level === "user") plan.userWindow = Math.max(plan.userWindow, rule.within);
      else plan.accountWindow = Math.max(plan.accountWindow, rule.within);
      if (!negated && !plan.fires.includes(json)) plan.fires.push(json);
      byEvent.set(leaf.e, plan);
    }
  }
  return { rules: compiled, byEvent };
}

function compileNode(node: Condition): CompiledNode {
  if ("event" in node) {
    const f = Object.entries(node.where ?? {}).flatMap(([k, filter]) => compileFilter(k, filter));
    return {
      t: "e",
      e: node.event,
      n: node.atLeast,
      ...(node.distinctBy ? { d: node.distinctBy } : {}),
      ...(f.length > 0 ? { f } : {}),
    };
  }
  if ("not" in node) return { t: "not", c: compileNode(node.not) };
  if ("all" in node) return { t: "all", c: node.all.map(compileNode) };
  return { t: "any", c: node.any.map(compileNode) };
}

function compileFilter(k: string, filter: PropertyFilter): CompiledFilter[] {
  if (typeof filter !== "object") return [{ k, op: "eq", v: filter }];
  return Object.entries(filter)
    .filter(([, v]) => v !== undefined)
    .map(([op, v]) => ({ k, op: op as CompiledFilter["op"], v }));
}

function* leaves(
  node: CompiledNode,
  negated: boolean,
): Generator<{ leaf: Extract<CompiledNode, { t: "e" }>; negated: boolean }> {
  if (node.t === "e") yield { leaf: node, negated };
  else if (node.t === "not") yield* leaves(node.c, !negated);
  else for (const child of node.c) yield* leaves(child, negated);
}
