import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/**
 * The process's Prometheus metrics. Adapters and jobs count into these; the status server's
 * /metrics exposes them. One registry per process, created on first use.
 */
export const registry = new Registry();

/** Process metrics (CPU, memory, event-loop lag, open handles) under the same prefix. */
collectDefaultMetrics({ register: registry, prefix: "shiploop_" });

/** Every call shiploop makes to an outside API, by service (github, statsig, posthog, hubspot) and outcome. */
export const externalApiCalls = new Counter({
  name: "shiploop_external_api_calls_total",
  help: "Calls to outside APIs by service and outcome",
  labelNames: ["service", "outcome"] as const,
  registers: [registry],
});

export const jobDurations = new Histogram({
  name: "shiploop_job_duration_seconds",
  help: "How long each cycle step took",
  labelNames: ["job", "outcome"] as const,
  buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120],
  registers: [registry],
});

export const verdictsByDecision = new Counter({
  name: "shiploop_verdicts_total",
  help: "Verdicts reached, by decision and whether they came early",
  labelNames: ["decision", "early"] as const,
  registers: [registry],
});

export const cyclesStarted = new Counter({
  name: "shiploop_cycles_started_total",
  help: "Weeks for which an experiment was started",
  registers: [registry],
});

/** Call from an adapter around each outside request. */
export function countApiCall(service: string, outcome: "ok" | "error"): void {
  externalApiCalls.inc({ service, outcome });
}

/** Jobs in the cycle queue by state; the status server sets it from BullMQ on every scrape. */
export const queueJobs = new Gauge({
  name: "shiploop_queue_jobs",
  help: "Jobs in the cycle queue by state, read when /metrics is scraped",
  labelNames: ["state"] as const,
  registers: [registry],
});

/** Experiments not yet final (planned, shipping, awaiting merge, measuring), set on every scrape. */
export const liveExperiments = new Gauge({
  name: "shiploop_live_experiments",
  help: "Experiments that are planned, shipping, awaiting merge or measuring",
  registers: [registry],
});
