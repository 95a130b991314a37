import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { FastifyAdapter } from "@bull-board/fastify";
import type { Queue } from "bullmq";
import type { FastifyInstance } from "fastify";

type BoardServerAdapter = Parameters<typeof createBullBoard>[0]["serverAdapter"];

export const QUEUES_PATH = "/queues";

/**
 * The BullMQ dashboard under /queues, read-only: bull-board hides and refuses every mutation
 * of a read-only queue, and this scope also answers 405 to any method but GET and HEAD.
 */
export async function mountQueueDashboard(scope: FastifyInstance, queue: Queue): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUES_PATH);
  createBullBoard({
    queues: [new BullMQAdapter(queue, { readOnlyMode: true, description: "the weekly cycle" })],
    // @bull-board/fastify 9.10.1 bundles its own @bull-board/api 9.10.1 next to our 9.10.2: the
    // two declare the same adapter with different private fields, so only the types disagree.
    serverAdapter: serverAdapter as unknown as BoardServerAdapter,
    options: { uiConfig: { boardTitle: "shiploop queues" } },
  });
  await scope.register(
    async (board) => {
      board.addHook("onRequest", async (request, reply) => {
        if (request.method !== "GET" && request.method !== "HEAD") {
          await reply
            .code(405)
            .header("allow", "GET, HEAD")
            .send({ error: "the queue dashboard is read-only" });
        }
      });
      await board.register(serverAdapter.registerPlugin());
    },
    { prefix: QUEUES_PATH },
  );
}
