import { Counter } from "prom-client";
import { registry } from "../observability/metrics-registry.js";

/** Events at POST /events by outcome: accepted, duplicate, or the reason they were refused. */
export const pqlEvents = new Counter({
  name: "shiploop_pql_events_total",
  help: "Events received at POST /events, by source and outcome",
  labelNames: ["source", "outcome"] as const,
  registers: [registry],
});
