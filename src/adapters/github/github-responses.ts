import { z } from "zod";
import { PermanentError } from "../../domain/errors.js";

/**
 * The parts of GitHub's answers shiploop relies on, checked once where they arrive: a change
 * in GitHub's API fails loudly here instead of as an `undefined` three calls later.
 */
export const BranchResponse = z.object({
  commit: z.object({
    sha: z.string(),
    commit: z.object({ tree: z.object({ sha: z.string() }) }),
  }),
});

export const FileContentResponse = z.union([
  z.array(z.unknown()).transform(() => ({ kind: "directory" as const })),
  z
    .object({
      type: z.string(),
      sha: z.string(),
      encoding: z.string().optional(),
      content: z.string().optional(),
    })
    .transform((file) => ({ kind: "file" as const, ...file })),
]);

export const BlobResponse = z.object({ content: z.string(), encoding: z.string() });

export const ShaResponse = z.object({ sha: z.string() });

export const RefResponse = z.object({ object: z.object({ sha: z.string() }) });

export const CommitResponse = z.object({
  sha: z.string(),
  tree: z.object({ sha: z.string() }),
  parents: z.array(z.object({ sha: z.string() })),
});

export const PullResponse = z.object({
  number: z.number().int(),
  html_url: z.string(),
  title: z.string(),
  body: z.string().nullable(),
  state: z.enum(["open", "closed"]),
  merged: z.boolean().optional(),
  merged_at: z.string().nullable().optional(),
  head: z.object({ ref: z.string() }),
  labels: z.array(z.object({ name: z.string() })),
  requested_reviewers: z
    .array(z.object({ login: z.string() }))
    .nullable()
    .optional(),
});
export type PullResponse = z.infer<typeof PullResponse>;

export const CommentResponse = z.object({ id: z.number().int(), body: z.string().optional() });

export function parseResponse<T extends z.ZodType>(
  schema: T,
  data: unknown,
  what: string,
): z.output<T> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new PermanentError(
    "github-unexpected-response",
    `GitHub's answer to ${what} has an unexpected shape at ${issue?.path.join(".") || "the top"}: ${issue?.message ?? "invalid"}`,
  );
}
