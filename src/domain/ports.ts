import type { Comparison } from "../stats/analyze-output.js";
import type { BacklogItem, FileChange, Metric } from "./backlog-item.js";
import type { ExperimentRecord } from "./experiment.js";
import type { Measurement, VariantAssignment } from "./measurement.js";

/**
 * The outside systems shiploop writes to or reads from, each behind one narrow port.
 * Every write is an idempotent "ensure": calling it twice lands in the same state and
 * returns what exists. Jobs talk to these, never to a client library.
 */

export interface PullRequestRequest {
  itemId: string;
  repo?: string;
  base: string;
  branch: string;
  title: string;
  body: string;
  changes: FileChange[];
  labels: string[];
  reviewers: string[];
}

export interface PullRequestRef {
  repo: string;
  number: number;
  url: string;
  branch: string;
}

export type PullRequestState = "open" | "merged" | "closed";

export interface CodeHost {
  readonly mode: PortMode;
  /** Finds the item's open pull request by its branch, or opens it with all changes in one commit. */
  ensurePullRequest(request: PullRequestRequest): Promise<PullRequestRef>;
  pullRequestState(ref: PullRequestRef): Promise<PullRequestState>;
  /** Posts the comment once; a second call with the same marker updates it instead. */
  ensureComment(ref: PullRequestRef, marker: string, body: string): Promise<void>;
}

export interface GateSplit {
  gate: string;
  /** Percent of users who pass the gate (see the treatment). */
  percent: number;
}

export interface ExperimentSpec {
  name: string;
  hypothesis: string;
  groups: { name: string; size: number; parameters: Record<string, unknown> }[];
  /** The metric the verdict reads: the platform must compute it for this experiment. */
  primaryMetric: Metric;
  /** Watched beside the primary metric; a breach rolls the change back. */
  guardrails: Metric[];
  /** How long it is measured: the item's own window, else SHIPLOOP_WINDOW. */
  windowMs: number;
}

export interface FlagStore {
  readonly mode: PortMode;
  /** Sets the gate's shiploop-owned rule to exactly this split (never "add 50 %"). */
  ensureGateSplit(split: GateSplit): Promise<GateSplit>;
  ensureExperimentStarted(spec: ExperimentSpec): Promise<{ id: string }>;
  /** Ends the experiment: ship one group, or abandon (all users back to control). */
  ensureExperimentDecision(
    name: string,
    decision: { ship: string } | { abandon: true },
    reason: string,
  ): Promise<void>;
}

/**
 * Where an experiment's numbers come from. Either cumulative per-variant sufficient statistics
 * (the built-in stats engine analyses them: sandbox, PostHog) or results a platform already
 * analysed (Statsig Pulse), mapped into the stats engine's comparison shape so that the same
 * verdict rule decides.
 */
export interface MetricsSource {
  readonly mode: PortMode;
  /** Cumulative per-variant statistics of the item's primary metric and guardrails, up to `until`. */
  measure(experiment: ExperimentRecord, until: Date): Promise<Measurement | AnalysedResults>;
}

/** Results analysed elsewhere: per metric, the treatment-vs-control comparison; and assignment counts. */
export interface AnalysedResults {
  kind: "analysed";
  variants: VariantAssignment[];
  /** By metric name (the item's primary metric and guardrails). */
  comparisons: Record<string, Comparison>;
  method: "fixed" | "sequential";
}

/** shiploop's own events in the team's analytics (e.g. PostHog), so its work can be charted. */
export interface Telemetry {
  readonly mode: PortMode;
  /** Never blocks or fails a job: delivery is best effort and batched. */
  capture(
    event: "shiploop experiment shipped" | "shiploop verdict reached",
    properties: Record<string, unknown>,
  ): void;
  flush(): Promise<void>;
  /** Sends what is queued and stops background timers; called once when the worker stops. */
  shutdown(): Promise<void>;
}

export type PortMode = "live" | "sandbox";

/** The sandbox only: the truth an item carries, so simulated users can react to it. */
export function sandboxTruth(item: BacklogItem): number {
  return item.sandbox?.trueRelativeLift ?? 0;
}
