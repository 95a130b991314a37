import { z } from "zod";
import { DURATION_HINT, parseDuration } from "../domain/duration.js";

const duration = z
  .string({ error: `expected a duration: ${DURATION_HINT}` })
  .transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined) {
      ctx.addIssue({ code: "custom", message: `is not a duration; expected ${DURATION_HINT}` });
      return z.NEVER;
    }
    return ms;
  });

const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** A comparison on one event property: `{ gte: 80 }`, `{ in: [seats, projects] }`, `{ exists: true }`. */
export const PropertyTestSchema = z
  .strictObject({
    eq: scalar.optional(),
    ne: scalar.optional(),
    gt: z.number().optional(),
    gte: z.number().optional(),
    lt: z.number().optional(),
    lte: z.number().optional(),
    in: z.array(scalar).min(1).optional(),
    exists: z.boolean().optional(),
  })
  .refine((test) => Object.keys(test).length > 0, {
    error: "is empty; expected at least one of eq, ne, gt, gte, lt, lte, in, exists",
  });

/** A property filter: a plain value means equality. */
export const PropertyFilterSchema = z.union([scalar, PropertyTestSchema]);

const PROPERTY_PATH = /^(properties\.)?[A-Za-z_$][\w$.-]*$/;
const propertyPath = z
  .string()
  .regex(PROPERTY_PATH, "is not a property name; expected e.g. invitee or properties.invitee")
  .transform((path) => (path === "distinct_id" ? path : path.replace(/^properties\./, "")));

/**
 * One signal: an event, counted inside the window. `distinctBy` counts distinct values of a
 * property (the invited teammate; `distinct_id` for distinct users of an account) instead of
 * occurrences; `where` keeps only the occurrences whose properties pass every filter.
 */
export const EventConditionSchema = z.strictObject({
  event: z.string().min(1, "is empty; expected an event name such as saved_workflow"),
  atLeast: z.number().int().min(1, "expected a whole number ≥ 1").default(1),
  distinctBy: propertyPath.optional(),
  where: z.record(propertyPath, PropertyFilterSchema).optional(),
});

export type EventCondition = z.output<typeof EventConditionSchema>;
export type PropertyFilter = z.output<typeof PropertyFilterSchema>;

export type Condition =
  | EventCondition
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    EventConditionSchema,
    z.strictObject({ all: z.array(ConditionSchema).min(1, "is empty; expected conditions") }),
    z.strictObject({ any: z.array(ConditionSchema).min(1, "is empty; expected conditions") }),
    z.strictObject({ not: ConditionSchema }),
  ]),
) as z.ZodType<Condition>;

/** The fields of a condition node, for hints on typos. */
export const CONDITION_KEYS = ["event", "atLeast", "distinctBy", "where", "all", "any", "not"];

/**
 * A PQL rule (`pql/<id>.yaml`): a compound condition over one subject's events inside a
 * sliding window of `within`; the subject is a user, or an account (all its users' events
 * pooled by `account_id`). A subject qualifies at most once per `cooldown` per rule.
 */
export const PqlRuleSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "is not kebab-case; expected e.g. team-adoption"),
    title: z.string().min(1, "is empty; expected a one-line summary for sales"),
    description: z.string().optional(),
    level: z.enum(["user", "account"]).default("user"),
    within: duration,
    score: z.number().int().min(0, "expected 0..100").max(100, "expected 0..100"),
    cooldown: duration.default(30 * 86_400_000),
    all: z.array(ConditionSchema).min(1, "is empty; expected conditions").optional(),
    any: z.array(ConditionSchema).min(1, "is empty; expected conditions").optional(),
    not: ConditionSchema.optional(),
  })
  .superRefine((rule, ctx) => {
    const tops = (["all", "any", "not"] as const).filter((k) => rule[k] !== undefined);
    if (tops.length !== 1) {
      ctx.addIssue({
        code: "custom",
        path: tops[1] ? [tops[1]] : [],
        message:
          tops.length === 0
            ? "missing condition; expected exactly one of all, any or not"
            : `both ${tops.join(" and ")}; expected exactly one of all, any or not (nest the others)`,
      });
      return;
    }
    const top = conditionOf(rule);
    if (!hasPositiveSignal(top, false)) {
      ctx.addIssue({
        code: "custom",
        path: [tops[0] as string],
        message: "only negative conditions; a rule needs at least one event that must happen",
      });
    }
  });

export type PqlRule = z.output<typeof PqlRuleSchema>;
export type PqlRuleInput = z.input<typeof PqlRuleSchema>;

/** The rule's condition as one tree. */
export function conditionOf(rule: Pick<PqlRule, "all" | "any" | "not">): Condition {
  if (rule.all) return { all: rule.all };
  if (rule.any) return { any: rule.any };
  return { not: rule.not as Condition };
}

function hasPositiveSignal(node: Condition, negated: boolean): boolean {
  if ("event" in node) return !negated;
  if ("not" in node) return hasPositiveSignal(node.not, !negated);
  const children = "all" in node ? node.all : node.any;
  return children.some((c) => hasPositiveSignal(c, negated));
}
