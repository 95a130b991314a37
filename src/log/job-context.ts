import { AsyncLocalStorage } from "node:async_hooks";
import type { Logger } from "pino";

/**
 * The job a piece of work runs for (job id and name, week, experiment), carried across awaits.
 * Adapters log through the root logger — a port takes no per-job logger — and the logger's
 * mixin reads this, so a GitHub or Statsig line says which week and experiment it served.
 */
export const jobContext = new AsyncLocalStorage<Readonly<Record<string, string>>>();

/** pino mixin: the current job's fields, minus those the logger is already bound to. */
export function jobContextMixin(
  _merge: object,
  _level: number,
  logger: Logger,
): Record<string, string> {
  const job = jobContext.getStore();
  if (!job) return {};
  const bound = logger.bindings();
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(job)) if (!(key in bound)) fields[key] = value;
  return fields;
}
