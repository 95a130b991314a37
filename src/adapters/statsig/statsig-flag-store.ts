import type { Logger } from "pino";
import { UserError } from "../../domain/errors.js";
import type { ExperimentSpec, FlagStore, GateSplit } from "../../domain/ports.js";
import type { StatsigConsoleClient } from "./console-client.js";
import type { Experiment } from "./console-schemas.js";
import {
  experimentPath,
  findExperiment,
  gatePath,
  parseExperiment,
  parseGate,
  readGate,
} from "./experiments-api.js";
import { gateWithSplit, newGate, ownRule } from "./gate-rules.js";
import type { GateVerifier } from "./gate-verifier.js";
import { scorecard } from "./scorecard-metrics.js";

export interface StatsigFlagStoreOptions {
  client: StatsigConsoleClient;
  /** Absent when STATSIG_SERVER_SECRET is not set: gate changes are then not verified. */
  verifier?: GateVerifier;
  logger: Logger;
}

const DAY_MS = 86_400_000;

/** Statsig's `duration` is in whole days (at least one): a window is rounded up. */
export function durationDays(windowMs: number): number {
  return Math.max(1, Math.ceil(windowMs / DAY_MS));
}

const ENDED = new Set(["decision_made", "abandoned", "archived", "experiment_stopped"]);

/**
 * Gates and experiments in Statsig through the Console API. Every write is an "ensure": it
 * reads first and writes only what differs, and a full-replacement gate write touches only
 * the rule shiploop owns, found by name. Gate changes are verified with the server SDK.
 */
export class StatsigFlagStore implements FlagStore {
  readonly mode = "live";
  private readonly client: StatsigConsoleClient;

  constructor(private readonly options: StatsigFlagStoreOptions) {
    this.client = options.client;
  }

  async ensureGateSplit(split: GateSplit): Promise<GateSplit> {
    const { gate, percent } = split;
    const subject = `gate ${gate}`;
    const current = await readGate(this.client, gate);
    if (!current) {
      if (percent > 0) {
        const created = await this.client.request("POST", "/gates", {
          subject,
          body: newGate(gate, percent),
        });
        const id = parseGate(created.data, gate).id;
        if (percent === 100) await this.client.request("PUT", gatePath(id, "launch"), { subject });
        this.options.logger.info({ service: "statsig", gate, percent }, "gate created");
      }
    } else if (percent === 100) {
      if (current.status !== "Launched") {
        await this.client.request("PUT", gatePath(current.id, "launch"), { subject });
        this.options.logger.info({ service: "statsig", gate }, "gate launched");
      }
    } else {
      if (!current.isEnabled && percent > 0) {
        throw new UserError(
          "statsig-gate-disabled",
          `Statsig gate ${gate} is disabled, so a ${percent} % split cannot be live; enable it in the Statsig console (shiploop does not override a person's switch)`,
        );
      }
      const owned = ownRule(current);
      // No rule of ours and nothing to pass: rolling back a split that never started.
      if (owned ? owned.passPercentage !== percent : percent > 0) {
        await this.client.request("POST", gatePath(current.id), {
          subject,
          body: gateWithSplit(current, percent),
        });
        this.options.logger.info({ service: "statsig", gate, percent }, "gate split written");
      }
    }
    await this.verify(gate, percent);
    return { gate, percent };
  }

  async ensureExperimentStarted(spec: ExperimentSpec): Promise<{
    id: string;
  }> {
    const experiment = await this.ensureExperimentExists(spec);
    if (experiment.status === "setup") {
      await this.client.request("PUT", experimentPath(experiment.id, "start"), {
        subject: `experiment ${spec.name}`,
      });
      this.options.logger.info({ service: "statsig", experiment: spec.name }, "experiment started");
    } else if (experiment.status !== "active") {
      throw new UserError(
        "statsig-experiment-ended",
        `Statsig experiment ${spec.name} already exists with status ${experiment.status}, so it cannot be started again; give the item a new experiment name`,
      );
    }
    return { id: experiment.id };
  }

  async ensureExperimentDecision(
    name: string,
    decision: { ship: string } | { abandon: true },
    reason: string,
  ): Promise<void> {
    const subject = `experiment ${name}`;
    const experiment = await findExperiment(this.client, name);
    if (!experiment) {
      throw new UserError(
        "statsig-not-found",
        `Statsig has no ${subject} to decide; check the name in the backlog item and that STATSIG_CONSOLE_API_KEY belongs to the project that has it`,
      );
    }
    if (ENDED.has(experiment.status)) return;
    if ("ship" in decision) {
      const group = groupByName(experiment, decision.ship);
      await this.client.request("PUT", experimentPath(experiment.id, "make_decision"), {
        subject,
        body: { id: group, decisionReason: reason },
      });
    } else {
      await this.client.request("PUT", experimentPath(experiment.id, "abandon"), {
        subject,
        body: { decisionReason: reason },
      });
    }
    this.options.logger.info(
      { service: "statsig", experiment: name, decision },
      "experiment decided",
    );
  }

  private async ensureExperimentExists(spec: ExperimentSpec): Promise<Experiment> {
    const subject = `experiment ${spec.name}`;
    const created = await this.client.request("POST", "/experiments", {
      subject,
      accept: [400],
      body: {
        name: spec.name,
        hypothesis: spec.hypothesis,
        idType: "userID",
        groups: spec.groups.map((g) => ({
          name: g.name,
          size: g.size,
          parameterValues: g.parameters,
        })),
        // Pulse computes only the scorecard's metrics: the verdict reads the primary one.
        ...scorecard(spec.primaryMetric, spec.guardrails),
        duration: durationDays(spec.windowMs),
        sequentialTesting: true,
      },
    });
    if (created.status !== 400) return parseExperiment(created.data, spec.name);
    // "Name is already in use" (a retry, or a crash after the create): adopt the existing one.
    // Any other 400 leaves no experiment of that name behind and is the item's to fix.
    const existing = await findExperiment(this.client, spec.name);
    if (!existing) {
      throw new UserError(
        "statsig-rejected",
        `Statsig rejected ${subject} (HTTP 400)${created.message ? `: ${created.message}` : ""}`,
      );
    }
    return existing;
  }

  private async verify(gate: string, percent: number): Promise<void> {
    if (!this.options.verifier) {
      this.options.logger.warn(
        { service: "statsig", gate, percent },
        "gate change not verified: set STATSIG_SERVER_SECRET to check it with the server SDK",
      );
      return;
    }
    await this.options.verifier.verify(gate, percent);
  }
}

function groupByName(experiment: Experiment, name: string): string {
  const group =
    experiment.groups.find((g) => g.name === name) ??
    experiment.groups.find((g) => g.name.toLowerCase() === name.toLowerCase());
  if (!group?.id) {
    throw new UserError(
      "statsig-group-missing",
      `Statsig experiment ${experiment.id} has no group named ${name} (it has ${experiment.groups.map((g) => g.name).join(", ")}); the item's group names must match Statsig's`,
    );
  }
  return group.id;
}
