import type { Ledger } from "../ledger/ledger.js";
import type { CycleQueue } from "../queue/cycle-queue.js";
import { withTimeout } from "./with-timeout.js";

export interface WorkerProbe {
  isRunning(): boolean;
  readonly closing: Promise<void> | null | undefined;
}

export interface HealthDeps {
  redis: { ping(): Promise<string> };
  ledger: Pick<Ledger, "getMeta">;
  queue: Pick<CycleQueue, "queue">;
  /** The worker in this process, when the server runs inside `shiploop worker`. */
  worker?: WorkerProbe;
}

export interface Health {
  ok: boolean;
  redis: { ok: boolean; latencyMs?: number; error?: string };
  worker: { alive: boolean; inProcess: boolean | null; workersOnQueue: number | null };
  lastKickoff: { at: string | null; week: string | null };
}

const PROBE_TIMEOUT_MS = 1_000;

/**
 * Healthy means Redis answers and a worker serves the queue: this process's worker is running,
 * or (for a server without one) at least one worker is connected to the queue. Each probe has
 * a short timeout, so a Redis outage answers 503 quickly instead of hanging the probe.
 */
export async function checkHealth(deps: HealthDeps): Promise<Health> {
  const started = performance.now();
  const redis = await withTimeout(
    deps.redis.ping(),
    PROBE_TIMEOUT_MS,
    "Redis did not answer PING",
  ).then(
    () => ({ ok: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 }),
    (error: unknown) => ({ ok: false, error: messageOf(error) }),
  );
  const [workers, meta] = redis.ok
    ? await Promise.all([
        withTimeout(deps.queue.queue.getWorkersCount(), PROBE_TIMEOUT_MS, "no worker count").catch(
          () => null,
        ),
        withTimeout(deps.ledger.getMeta(), PROBE_TIMEOUT_MS, "no ledger meta").catch(
          () => ({}) as Record<string, string>,
        ),
      ])
    : [null, {} as Record<string, string>];
  const inProcess = deps.worker ? deps.worker.isRunning() && !deps.worker.closing : null;
  const alive = inProcess ?? (workers ?? 0) > 0;
  return {
    ok: redis.ok && alive,
    redis,
    worker: { alive, inProcess, workersOnQueue: workers },
    lastKickoff: { at: meta.lastKickoffAt ?? null, week: meta.lastKickoffWeek ?? null },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
