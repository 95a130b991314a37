import { PermanentError } from "./errors.js";
import { type ExperimentRecord, type ExperimentStatus, NEXT_STATUSES } from "./experiment.js";

/**
 * Moves an experiment to its next status, with a history entry. Pure: the caller stores the
 * result. A move the lifecycle does not allow is a bug, so it is a permanent error.
 */
export function advanceExperiment(
  record: ExperimentRecord,
  to: ExperimentStatus,
  at: Date,
  patch: Partial<Omit<ExperimentRecord, "id" | "status" | "history" | "version">> = {},
  note?: string,
): ExperimentRecord {
  if (!NEXT_STATUSES[record.status].includes(to)) {
    throw new PermanentError(
      "bad-transition",
      `experiment ${record.id} cannot go from ${record.status} to ${to}`,
    );
  }
  const change = note
    ? { status: to, at: at.toISOString(), note }
    : { status: to, at: at.toISOString() };
  return { ...record, ...patch, status: to, history: [...record.history, change] };
}
