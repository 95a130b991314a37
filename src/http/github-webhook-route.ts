import type { FastifyInstance } from "fastify";
import type { CycleContext } from "../../jobs/cycle-context.js";
import {
  onPullRequestWebhook,
  verifyAndParseWebhook,
  WebhookRejectedError,
} from "../adapters/github/webhook.js";
import { jobIds } from "../queue/job-payloads.js";

/**
 * `POST /webhooks/github`: a closed shiploop pull request wakes its await-merge job at once
 * instead of at its next poll. Authenticated by its own signature (GITHUB_WEBHOOK_SECRET), so it
 * is mounted with `auth: "own"`.
 */
export function githubWebhookRoutes(ctx: CycleContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.post("/github", async (request, reply) => {
      const raw = (request as { rawBody?: Buffer }).rawBody ?? Buffer.alloc(0);
      try {
        const event = verifyAndParseWebhook(
          raw,
          request.headers,
          ctx.config.githubWebhookSecret ?? "",
        );
        const itemId = await onPullRequestWebhook(event, {
          promoteAwaitMerge: (id) => promoteAwaitMerge(ctx, id),
        });
        return reply.code(202).send({ itemId: itemId ?? null });
      } catch (error) {
        if (error instanceof WebhookRejectedError)
          return reply.code(error.status).send({ error: error.message });
        throw error;
      }
    });
  };
}

/** Runs the item's waiting await-merge poll now; it reads the pull request's real state itself. */
export async function promoteAwaitMerge(ctx: CycleContext, itemId: string): Promise<void> {
  const experiments = await ctx.ledger.listExperiments({ newestFirst: true, limit: 1000 });
  const waiting = experiments.find((e) => e.itemId === itemId && e.status === "awaiting-merge");
  if (!waiting) return;
  const job = await ctx.queue.queue.getJob(jobIds.awaitMerge(waiting.id));
  if (job && (await job.isDelayed())) await job.promote();
}
