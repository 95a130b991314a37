import type { ExperimentRecord } from "../src/domain/experiment.js";
import { killPoint } from "../src/queue/kill-point.js";
import type { CycleContext } from "./cycle-context.js";

/**
 * Runs one external write under the ledger's guard: record the intent, do the (idempotent)
 * write, record the result. A retry after a crash skips a write whose result is recorded, and
 * repeats an idempotent write whose intent is recorded but whose result is not — so the
 * ledger always says which external changes may exist.
 */
export async function guardedWrite<T extends Record<string, unknown>>(
  ctx: CycleContext,
  experiment: ExperimentRecord,
  operation: string,
  write: () => Promise<T>,
): Promise<{ experiment: ExperimentRecord; result: T }> {
  const prior = experiment.writes[operation];
  if (prior?.state === "done") return { experiment, result: prior.result as T };
  let current = experiment;
  if (!prior) {
    current = await ctx.ledger.saveExperiment({
      ...current,
      writes: { ...current.writes, [operation]: { state: "intent", at: ctx.now().toISOString() } },
    });
    killPoint(`${operation}:after-intent`);
  }
  const result = await write();
  killPoint(`${operation}:after-write`);
  current = await ctx.ledger.saveExperiment({
    ...current,
    writes: {
      ...current.writes,
      [operation]: { state: "done", at: ctx.now().toISOString(), result },
    },
  });
  ctx.logger.info({ operation, result }, `${operation} done`);
  return { experiment: current, result };
}
