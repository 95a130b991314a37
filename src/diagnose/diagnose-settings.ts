import { z } from "zod";

/**
 * One signal of the compound PQL rule. `event` is a logical name from the config's `events:`
 * section (`invite`, `workflowSaved`, `pricingViewed`, …), so renaming an event there follows
 * through, or else a raw event name such as `created_dashboard`.
 */
export const PqlSignalSchema = z.strictObject({
  event: z.string().min(1),
  /** Occurrences needed inside the window. */
  atLeast: z.number().int().min(1).default(1),
  /**
   * Count distinct values of this event property instead of events (e.g. the invited teammate),
   * so that re-inviting the same person twice is one. An event without the property counts as
   * its own value: without a name we cannot tell two invites apart, so we do not merge them.
   */
  distinctBy: z.string().min(1).optional(),
});

/**
 * The compound PQL rule: a user qualifies at the first moment t when every signal has reached
 * its count inside [t − windowHours, t], i.e. all the occurrences needed lie within
 * `windowHours` of each other. The qualifying time is that t (the last signal needed).
 */
export const PqlRuleSchema = z.strictObject({
  windowHours: z.number().positive().default(48),
  signals: z
    .array(PqlSignalSchema)
    .min(1)
    .default([
      { event: "invite", atLeast: 2, distinctBy: "invitee_id" },
      { event: "workflowSaved", atLeast: 1 },
      { event: "pricingViewed", atLeast: 1 },
    ]),
});

const fraction = z.number().min(0).max(1);
const range = z
  .tuple([fraction, fraction])
  .refine(([low, high]) => low <= high, { error: "expected [low, high] with low ≤ high" });

/**
 * What "healthy" means per stage. A range is [typical low end, top of the range]: below the
 * low end is a leak, inside the range is normal, so gaps are measured against the low end.
 */
export const BenchmarksSchema = z.strictObject({
  /** Median minutes from signup to activation, self-serve products: ≤ 10. */
  ttvMinutes: z.number().positive().default(10),
  activationRate: fraction.default(0.4),
  /** Share of PQLs who become paying. */
  pqlConversion: fraction.default(0.25),
  freeToPaid: z
    .strictObject({
      freemium: range.default([0.02, 0.05]),
      trial: range.default([0.1, 0.25]),
    })
    .prefault({}),
  /** Annual NRR: below 100 % is failure, above 120 % top quartile. */
  nrr: z
    .tuple([z.number().positive(), z.number().positive()])
    .refine(([low, high]) => low <= high, { error: "expected [low, high] with low ≤ high" })
    .default([1, 1.2]),
});

/** The config file's `diagnose:` section. */
export const DiagnoseSettingsSchema = z.strictObject({
  /** A user counts as activated when the activation event comes within this many days of signup. */
  activationDays: z.number().int().min(1).default(7),
  /** Horizon for paying and for PQL qualification + conversion, in days after signup. */
  conversionDays: z.number().int().min(1).default(30),
  /** Complete cohorts pooled into each headline value: recent enough to be "now", big enough to be stable. */
  recentCohorts: z.number().int().min(1).default(4),
  /** Picks the free-to-paid benchmark: 2–5 % for freemium, 10–25 % for a trial. */
  model: z.enum(["freemium", "trial"]).default("freemium"),
  pql: PqlRuleSchema.prefault({}),
  /** NRR period; shortened to half the revenue history when the data is shorter (see nrr.ts). */
  nrrDays: z.number().int().min(1).default(365),
  benchmarks: BenchmarksSchema.prefault({}),
  /**
   * Added to every gap before weights are derived, so a stage that meets its benchmark keeps
   * some weight: a good change to a healthy stage is still worth shipping.
   */
  weightFloor: z.number().min(0).default(0.1),
});

export type DiagnoseSettings = z.infer<typeof DiagnoseSettingsSchema>;
export type PqlRule = z.infer<typeof PqlRuleSchema>;
export type Benchmarks = z.infer<typeof BenchmarksSchema>;

export const DEFAULT_DIAGNOSE_SETTINGS: DiagnoseSettings = DiagnoseSettingsSchema.parse({});
