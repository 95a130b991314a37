import { z } from "zod";

/** The single queue the weekly cycle runs on; its steps are job names. */
export const CYCLE_QUEUE = "cycle";
export const SCHEDULER_ID = "weekly-kickoff";

const week = z.string().regex(/^\d{4}-W\d{2}$/, "expected an ISO week such as 2026-W49");
const experimentId = z.string().min(1);

export const JOB_PAYLOADS = {
  /** The scheduler's tick: works out the week and enqueues its kickoff. */
  tick: z.object({}),
  /** Plans the week: score the backlog, pick an item, create its experiment. */
  kickoff: z.object({ week, attempt: z.number().int().min(0).default(0) }),
  ship: z.object({ experimentId }),
  "await-merge": z.object({ experimentId, polls: z.number().int().min(0).default(0) }),
  check: z.object({ experimentId, day: z.number().int().min(1) }),
  /** `round` > 0: a later round after every attempt of the previous one failed. */
  verdict: z.object({ experimentId, round: z.number().int().min(0).default(0) }),
  learn: z.object({ experimentId }),
} as const;

export type JobName = keyof typeof JOB_PAYLOADS;
export type JobPayload<N extends JobName> = z.infer<(typeof JOB_PAYLOADS)[N]>;

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOB_PAYLOADS, name);
}

/** Deterministic job ids: the same step of the same experiment is one job, however often it is added. */
export const jobIds = {
  kickoff: (w: string, attempt = 0) => (attempt === 0 ? `cycle-${w}` : `cycle-${w}-${attempt}`),
  ship: (id: string) => `ship-${id}`,
  awaitMerge: (id: string) => `await-merge-${id}`,
  check: (id: string, day: number) => `check-${id}-${day}`,
  verdict: (id: string, round = 0) => (round === 0 ? `verdict-${id}` : `verdict-${id}-r${round}`),
  learn: (id: string) => `learn-${id}`,
};
