import { z } from "zod";
import { DURATION_HINT, parseDuration } from "../domain/duration.js";
import { UserError } from "../domain/errors.js";

const duration = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined || text === "") return fallback;
      const ms = parseDuration(text);
      if (ms === undefined) {
        ctx.addIssue({ code: "custom", message: `is not a duration; expected ${DURATION_HINT}` });
        return z.NEVER;
      }
      return ms;
    });

/**
 * Settings PQL routing needs beyond the shared config (the lead may move them into
 * src/config/settings.ts under the same environment names).
 */
export const PqlSettingsSchema = z.object({
  /** Directory of the rule files. */
  SHIPLOOP_PQL_DIR: z.string().min(1).default("./pql"),
  /** Segment's shared secret: when set, requests carrying X-Signature are checked with it. */
  SHIPLOOP_SEGMENT_SECRET: z.string().min(1).optional(),
  /** How long an event id is remembered for deduplication. */
  SHIPLOOP_PQL_DEDUPE_TTL: duration(86_400_000),
});

export interface PqlSettings {
  pqlDir: string;
  segmentSecret: string | undefined;
  dedupeTtlMs: number;
}

export function readPqlSettings(env: Record<string, string | undefined>): PqlSettings {
  const parsed = PqlSettingsSchema.safeParse(
    Object.fromEntries(Object.keys(PqlSettingsSchema.shape).map((k) => [k, env[k] || undefined])),
  );
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError("config", `${issue?.path.join(".")} ${issue?.message}`);
  }
  return {
    pqlDir: parsed.data.SHIPLOOP_PQL_DIR,
    segmentSecret: parsed.data.SHIPLOOP_SEGMENT_SECRET,
    dedupeTtlMs: parsed.data.SHIPLOOP_PQL_DEDUPE_TTL,
  };
}
