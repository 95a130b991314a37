/**
 * The input of `analyze` (DESIGN.md, "Statistics contract"), validated once at the edge.
 * Objects are strict: an unknown key is reported rather than ignored, because a misspelt
 * `sumSquare` or `corection` would otherwise silently change the analysis.
 */
import { z } from "zod";
import { UserError } from "../domain/errors.js";
import { DEFAULT_SEQUENTIAL_TUNING } from "./sequential.js";

export const ANALYZE_DEFAULTS = {
  alpha: 0.05,
  method: "fixed",
  correction: "none",
  sequentialTuning: DEFAULT_SEQUENTIAL_TUNING,
} as const;

const nonNegative = z
  .number({
    error: (issue) =>
      issue.input === undefined ? "required: a number >= 0" : "expected a number >= 0",
  })
  .min(0, { error: "expected a number >= 0" });

const finite = z.number({
  error: (issue) => (issue.input === undefined ? "required: a number" : "expected a number"),
});

const ProportionStatsSchema = z.strictObject({
  n: nonNegative,
  sum: nonNegative,
  preSum: finite.optional(),
  preSumSquares: nonNegative.optional(),
  sumProductPre: finite.optional(),
});

const MeanStatsSchema = z.strictObject({
  n: nonNegative,
  sum: finite,
  sumSquares: nonNegative,
  preSum: finite.optional(),
  preSumSquares: nonNegative.optional(),
  sumProductPre: finite.optional(),
});

const RatioStatsSchema = z.strictObject({
  n: nonNegative,
  sum: finite,
  sumSquares: nonNegative,
  denominatorSum: finite,
  denominatorSumSquares: nonNegative,
  sumProductDenominator: finite,
});

const metricFields = {
  name: z.string().min(1, { error: "expected a non-empty name" }),
  higherIsBetter: z.boolean().optional(),
};

const MetricSchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({
      ...metricFields,
      type: z.literal("proportion"),
      stats: z.record(z.string(), ProportionStatsSchema),
    }),
    z.strictObject({
      ...metricFields,
      type: z.literal("mean"),
      stats: z.record(z.string(), MeanStatsSchema),
    }),
    z.strictObject({
      ...metricFields,
      type: z.literal("ratio"),
      stats: z.record(z.string(), RatioStatsSchema),
    }),
  ],
  { error: 'expected type "proportion", "mean" or "ratio"' },
);

const VariantSchema = z.strictObject({
  name: z.string().min(1, { error: "expected a non-empty name" }),
  users: nonNegative,
  /** Designed share of users; any positive scale. Default: an equal split. */
  weight: z
    .number({ error: "expected a number > 0" })
    .gt(0, { error: "expected a number > 0" })
    .optional(),
});

export const AnalyzeInputSchema = z
  .strictObject(
    {
      alpha: z
        .number({ error: "expected a number between 0 and 1" })
        .gt(0, { error: "expected a number between 0 and 1" })
        .lt(1, { error: "expected a number between 0 and 1" })
        .optional(),
      method: z.enum(["fixed", "sequential", "bayesian"]).optional(),
      /** Total sample size at which the sequential interval is tightest. */
      sequentialTuning: z
        .number({ error: "expected a number > 0" })
        .gt(0, { error: "expected a number > 0" })
        .optional(),
      /** Proper Gaussian prior on the relative lift (bayesian only); flat when absent. */
      prior: z
        .strictObject({
          mean: finite,
          stddev: z
            .number({ error: "expected a number > 0" })
            .gt(0, { error: "expected a number > 0" }),
        })
        .optional(),
      correction: z.enum(["none", "holm", "bh"]).optional(),
      variants: z.array(VariantSchema).min(2, { error: "expected at least two variants" }),
      metrics: z.array(MetricSchema),
    },
    { error: (issue) => (issue.code === "invalid_type" ? "expected a JSON object" : undefined) },
  )
  .superRefine((input, ctx) => {
    const names = input.variants.map((v) => v.name);
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) {
        ctx.addIssue({
          code: "custom",
          path: ["variants", i, "name"],
          message: `duplicate variant name "${name}"`,
        });
      }
    });
    input.metrics.forEach((metric, m) => {
      for (const name of names) {
        if (!(name in metric.stats)) {
          ctx.addIssue({
            code: "custom",
            path: ["metrics", m, "stats", name],
            message: `missing statistics for variant "${name}"`,
          });
        }
      }
      for (const [name, stats] of Object.entries(metric.stats)) {
        const path = ["metrics", m, "stats", name];
        if (!names.includes(name)) {
          ctx.addIssue({ code: "custom", path, message: `no variant is named "${name}"` });
        }
        if (metric.type === "proportion" && "sum" in stats && stats.sum > stats.n) {
          ctx.addIssue({
            code: "custom",
            path: [...path, "sum"],
            message: "a proportion's sum (users who converted) cannot exceed n",
          });
        }
        for (const field of missingPreFields(metric.type, stats)) {
          ctx.addIssue({
            code: "custom",
            path: [...path, field],
            message: `required with the other pre-period fields: CUPED needs ${preFields(metric.type).join(", ")}`,
          });
        }
      }
      const withPre = Object.values(metric.stats).filter(hasPreFields).length;
      if (withPre > 0 && withPre < Object.keys(metric.stats).length) {
        ctx.addIssue({
          code: "custom",
          path: ["metrics", m, "stats"],
          message: "pre-period fields must be given for every variant or for none",
        });
      }
    });
  });

/** What a caller writes: fields with defaults may be left out (see ANALYZE_DEFAULTS). */
export type AnalyzeInput = z.input<typeof AnalyzeInputSchema>;
export type AnalyzeMetric = AnalyzeInput["metrics"][number];
export type MetricType = AnalyzeMetric["type"];
export type ProportionStats = z.output<typeof ProportionStatsSchema>;
export type MeanStats = z.output<typeof MeanStatsSchema>;
export type RatioStats = z.output<typeof RatioStatsSchema>;

/**
 * Validates untrusted input (e.g. stdin of `shiploop analyze`). Throws a UserError whose
 * message names the JSON path of every problem, one per line.
 */
export function parseAnalyzeInput(value: unknown): AnalyzeInput {
  const parsed = AnalyzeInputSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const path = formatJsonPath(issue.path);
    return `${path || "input"}: ${issue.message}`;
  });
  throw new UserError("invalid-analyze-input", lines.join("\n"));
}

/** `["metrics", 1, "stats", "treatment", "n"]` → `metrics[1].stats.treatment.n`. */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

function preFields(type: MetricType): string[] {
  return type === "mean"
    ? ["preSum", "preSumSquares", "sumProductPre"]
    : type === "proportion"
      ? ["preSum", "sumProductPre"]
      : [];
}

function hasPreFields(stats: object): boolean {
  return "preSum" in stats || "preSumSquares" in stats || "sumProductPre" in stats;
}

function missingPreFields(type: MetricType, stats: object): string[] {
  if (!hasPreFields(stats)) return [];
  return preFields(type).filter((field) => !(field in stats));
}
