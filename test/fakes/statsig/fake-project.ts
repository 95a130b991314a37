/**
 * The in-memory Statsig project behind the fake: gates with rules and versions, experiments
 * with their status transitions. Shapes follow the Console API (API version 20240601).
 */

export interface FakeCondition {
  type: string;
  targetValue?: unknown;
  operator?: string | null;
  field?: string | null;
  customID?: string | null;
}

export interface FakeRule {
  name: string;
  passPercentage: number;
  conditions: FakeCondition[];
  environments?: string[] | null;
  id: string;
  baseID: string;
  [extra: string]: unknown;
}

export interface FakeGate {
  id: string;
  name: string;
  description: string;
  idType: string;
  isEnabled: boolean;
  status: string;
  rules: FakeRule[];
  tags: string[];
  version: number;
  lastModifiedTime: number;
  [extra: string]: unknown;
}

export interface FakeGroup {
  id: string;
  name: string;
  size: number;
  parameterValues: Record<string, unknown>;
}

/** A metric on an experiment's scorecard: `{ name, type }` with one of Statsig's metric types. */
export interface FakeMetricRef {
  name: string;
  type: string;
}

export interface FakeExperiment {
  id: string;
  name: string;
  hypothesis: string;
  idType: string;
  status: "setup" | "active" | "decision_made" | "abandoned";
  groups: FakeGroup[];
  primaryMetrics: FakeMetricRef[];
  secondaryMetrics: FakeMetricRef[];
  duration: number | null;
  sequentialTesting: boolean;
  launchedGroupID: string | null;
  decisionReason: string;
  allocation: number;
}

let counter = 0;
export function fakeId(prefix: string): string {
  counter += 1;
  return `${prefix}${counter.toString(36).padStart(6, "0")}`;
}

/** Statsig derives an entity id from its name. */
export function idFromName(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, "_");
}

/** Rule ids embed the pass percentage and the gate version: they change on every edit. */
export function ruleId(baseID: string, passPercentage: number, version: number): string {
  return `${baseID}:${passPercentage.toFixed(2)}:${version}`;
}

export class FakeProject {
  readonly gates = new Map<string, FakeGate>();
  readonly experiments = new Map<string, FakeExperiment>();

  /** Seeds (or replaces) a gate as somebody might have set it up in the console. */
  addGate(input: {
    name: string;
    isEnabled?: boolean;
    rules?: { name: string; passPercentage: number; conditions?: FakeCondition[] }[];
  }): FakeGate {
    const gate: FakeGate = {
      id: idFromName(input.name),
      name: input.name,
      description: "",
      idType: "userID",
      isEnabled: input.isEnabled ?? true,
      status: "In Progress",
      rules: [],
      tags: [],
      version: 1,
      lastModifiedTime: Date.now(),
    };
    gate.rules = (input.rules ?? []).map((r) => this.materialiseRule(r, gate.version));
    this.gates.set(gate.id, gate);
    return gate;
  }

  materialiseRule(
    rule: { name: string; passPercentage: number; conditions?: FakeCondition[]; baseID?: string },
    version: number,
  ): FakeRule {
    const baseID = typeof rule.baseID === "string" ? rule.baseID : fakeId("rule");
    return {
      ...rule,
      name: rule.name,
      passPercentage: rule.passPercentage,
      conditions: rule.conditions ?? [{ type: "public" }],
      environments: (rule as { environments?: string[] | null }).environments ?? null,
      baseID,
      id: ruleId(baseID, rule.passPercentage, version),
    };
  }
}

/** A ready experiment as if created in the console, for seeding. */
export function seedExperiment(
  project: FakeProject,
  input: { id?: string; name: string; status?: FakeExperiment["status"]; groups?: string[] },
): FakeExperiment {
  const experiment: FakeExperiment = {
    id: input.id ?? idFromName(input.name),
    name: input.name,
    hypothesis: "",
    idType: "userID",
    status: input.status ?? "setup",
    groups: (input.groups ?? ["control", "treatment"]).map((name, _i, all) => ({
      id: fakeId("grp"),
      name,
      size: 100 / all.length,
      parameterValues: {},
    })),
    primaryMetrics: [],
    secondaryMetrics: [],
    duration: null,
    sequentialTesting: false,
    launchedGroupID: null,
    decisionReason: "",
    allocation: 100,
  };
  project.experiments.set(experiment.id, experiment);
  return experiment;
}
