import type { BacklogItem } from "./backlog-item.js";
import type { Decision } from "./verdict-observation.js";

/**
 * planned → shipping → (awaiting-merge →) measuring → decided | rolled-back;
 * any step before measuring may end in `blocked` (the user must fix something) or
 * `abandoned` (a reviewer closed the pull request unmerged).
 */
export const EXPERIMENT_STATUSES = [
  "planned",
  "shipping",
  "awaiting-merge",
  "measuring",
  "decided",
  "rolled-back",
  "blocked",
  "abandoned",
] as const;
export type ExperimentStatus = (typeof EXPERIMENT_STATUSES)[number];

export const FINAL_STATUSES: ReadonlySet<ExperimentStatus> = new Set([
  "decided",
  "rolled-back",
  "blocked",
  "abandoned",
]);

/** Which statuses may follow which: a transition outside this table is a bug, not a retry. */
export const NEXT_STATUSES: Record<ExperimentStatus, readonly ExperimentStatus[]> = {
  planned: ["shipping", "blocked"],
  shipping: ["awaiting-merge", "measuring", "blocked"],
  "awaiting-merge": ["measuring", "abandoned", "blocked"],
  measuring: ["decided", "rolled-back", "blocked"],
  decided: [],
  "rolled-back": [],
  blocked: [],
  abandoned: [],
};

export interface StatusChange {
  status: ExperimentStatus;
  at: string;
  note?: string;
}

/** An external write guarded by the ledger: intent first, result after. */
export interface WriteRecord {
  state: "intent" | "done";
  at: string;
  result?: Record<string, unknown>;
}

export interface ShippedChange {
  kind: BacklogItem["ship"]["kind"];
  repo?: string;
  pullRequestUrl?: string;
  pullRequestNumber?: number;
  branch?: string;
  gate?: string;
  experiment?: string;
}

export interface VariantCount {
  name: string;
  users: number;
}

export interface MetricResult {
  name: string;
  relativeLift: number;
  /** Standard error of the relative lift. */
  se: number;
  /** Control's and treatment's metric (a rate for proportions), for per-variant display. */
  baselineMean?: number;
  mean?: number;
  ci: [number, number];
  pValue: number | null;
  chanceToWin: number | null;
  significant: boolean;
  /** Guardrails only: whether the drop exceeded `maxRelativeDrop` with significance. */
  breached?: boolean;
  maxRelativeDrop?: number;
}

export interface VerdictRecord {
  decision: Decision;
  /** True when the daily check rolled the change back before the window ended. */
  early: boolean;
  rule: string;
  reasons: string[];
  method: "fixed" | "sequential";
  variants: VariantCount[];
  srm: { pValue: number; mismatch: boolean };
  primary: MetricResult;
  guardrails: MetricResult[];
  /** What was done about it, e.g. "gate onboarding_three_steps to 100 %". */
  applied: string;
  decidedAt: string;
}

export interface DailyCheck {
  day: number;
  at: string;
  users: number;
  relativeLift: number;
  ci: [number, number];
  srmPValue: number;
  action: "continue" | "rollback";
}

export interface VerdictDelay {
  /** The last failure, e.g. "gave up after 8 attempts: PostHog answered 503". */
  reason: string;
  at: string;
  /** When the next round of attempts starts. */
  retryAt: string;
  /** Rounds that failed so far; round N+1 is queued as its own job. */
  rounds: number;
}

export interface ExperimentRecord {
  /** `<week>--<item id>`: unique per week and item, and free of `:` so it can be a job id. */
  id: string;
  week: string;
  itemId: string;
  /** The item as it was when picked, so a later edit of its file cannot change what is measured. */
  item: BacklogItem;
  status: ExperimentStatus;
  history: StatusChange[];
  /** Why it was picked: the score line and its factors. */
  pickedBecause?: string;
  score?: number;
  writes: Record<string, WriteRecord>;
  ship?: ShippedChange;
  measuringSince?: string;
  verdictDueAt?: string;
  checks: DailyCheck[];
  verdict?: VerdictRecord;
  /** Set while the verdict is overdue because its step kept failing; cleared by the verdict. */
  verdictDelayed?: VerdictDelay;
  blockedReason?: string;
  /** Optimistic-concurrency counter, bumped by every stored change. */
  version: number;
}

export interface WeekRecord {
  week: string;
  kickedAt: string;
  /** The experiment this week is measuring, when one could be started. */
  experimentId?: string;
  /** Items tried this week that ended blocked, in order. */
  blocked: string[];
  /** Why nothing ships this week, when nothing does. */
  idleReason?: string;
}

export function experimentIdFor(week: string, itemId: string): string {
  return `${week}--${itemId}`;
}

/** A measurement window is read as seven "days" however long it really is: one check a day, verdict after the last. */
export const DAYS_PER_WINDOW = 7;
