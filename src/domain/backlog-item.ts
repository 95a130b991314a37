import { z } from "zod";
import { DURATION_HINT, parseDuration } from "./duration.js";
import { FUNNEL_STAGES } from "./funnel-stage.js";

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const REPO = /^[\w.-]+\/[\w.-]+$/;

const SPLIT_HINT = "expected a whole percentage of users in treatment, 1..99";

const text = z.string().trim().min(1, "expected a non-empty string");
const kebabId = z.string().regex(KEBAB, "expected kebab-case (lower-case letters, digits, dashes)");

export const MetricSchema = z.strictObject({
  name: text,
  event: text,
  type: z.enum(["proportion", "mean", "ratio"]),
  /** For mean and ratio metrics: the event property that carries the value. */
  property: text.optional(),
  higherIsBetter: z.boolean().default(true),
});

export const GuardrailSchema = MetricSchema.extend({
  maxRelativeDrop: z.number().gt(0).lt(1),
});

const ReplaceChangeSchema = z.strictObject({
  path: text,
  replace: z.strictObject({
    find: z.string().min(1, "expected the exact text to find"),
    with: z.string(),
  }),
});
const ContentChangeSchema = z.strictObject({ path: text, content: z.string() });
export const FileChangeSchema = z.union([ReplaceChangeSchema, ContentChangeSchema], {
  error: "expected a change with `path` and either `replace: { find, with }` or `content`",
});

const PullRequestShipSchema = z.strictObject({
  kind: z.literal("pull-request"),
  repo: z.string().regex(REPO, "expected owner/name").optional(),
  base: text.default("main"),
  gate: text,
  changes: z.array(FileChangeSchema, { error: "a pull-request item needs `changes`" }).min(1, {
    error: "a pull-request item needs at least one change",
  }),
  reviewers: z.array(text).default([]),
});

const GateShipSchema = z.strictObject({ kind: z.literal("gate"), gate: text });

const ExperimentGroupSchema = z.strictObject({
  name: text,
  size: z.number().gt(0).max(100),
  parameters: z.record(z.string(), z.unknown()).default({}),
});

const ExperimentShipSchema = z
  .strictObject({
    kind: z.literal("experiment"),
    experiment: text,
    groups: z.array(ExperimentGroupSchema).min(2, "an experiment needs at least two groups"),
  })
  .refine((ship) => Math.abs(ship.groups.reduce((sum, g) => sum + g.size, 0) - 100) < 1e-9, {
    error: "group sizes must add up to 100",
    path: ["groups"],
  });

export const ShipSchema = z.discriminatedUnion("kind", [
  PullRequestShipSchema,
  GateShipSchema,
  ExperimentShipSchema,
]);

export const BacklogItemSchema = z.strictObject({
  id: kebabId,
  title: text,
  hypothesis: text,
  stage: z.enum(FUNNEL_STAGES),
  surface: text,
  tags: z.array(text).default([]),
  impact: z.strictObject({
    relativeLift: z.number().gt(-1).max(10),
    confidence: z.number().min(0).max(1),
  }),
  effort: z.number().positive(),
  /** Engineer-days it really took, filled in afterwards; teaches effort accuracy. */
  actualEffort: z.number().positive().optional(),
  /** Share of the stage's users the surface touches (0..1]; 1 when absent. */
  reach: z.number().gt(0).max(1).default(1),
  primaryMetric: MetricSchema,
  guardrails: z.array(GuardrailSchema).default([]),
  ship: ShipSchema,
  split: z.number().int(SPLIT_HINT).min(1, SPLIT_HINT).max(99, SPLIT_HINT).default(50),
  window: z
    .string()
    .refine((w) => parseDuration(w) !== undefined, { error: `expected ${DURATION_HINT}` })
    .optional(),
  sandbox: z.strictObject({ trueRelativeLift: z.number().gt(-1) }).optional(),
});

export type BacklogItem = z.infer<typeof BacklogItemSchema>;
export type Metric = z.infer<typeof MetricSchema>;
export type Guardrail = z.infer<typeof GuardrailSchema>;
export type Ship = z.infer<typeof ShipSchema>;
export type FileChange = z.infer<typeof FileChangeSchema>;
export type ShipKind = Ship["kind"];
