import type { FakeGate } from "./fake-project.js";

/**
 * The server SDK's `download_config_specs` JSON (the v2 shape the Rust core reads: gates keyed
 * by name, conditions by id in `condition_map`) for the project's CURRENT gates, so the real
 * `@statsig/statsig-node-core` evaluates what the console says. `seenPercent` overrides what
 * the SDK sees for a gate (a stale CDN, a wrong environment) while the console says otherwise.
 */
export function downloadConfigSpecs(
  gates: Iterable<FakeGate>,
  seenPercent: ReadonlyMap<string, number>,
): Record<string, unknown> {
  const conditionMap: Record<string, unknown> = {
    public: condition({ type: "public" }),
    // Any targeting the fake does not model matches nobody among synthetic users.
    nobody: condition({ type: "unit_id", operator: "any", targetValue: ["__nobody__"] }),
  };
  const featureGates: Record<string, unknown> = {};
  for (const gate of gates) {
    const override = seenPercent.get(gate.id);
    const rules =
      gate.status === "Launched"
        ? [
            {
              name: "Launched",
              id: "launchedID",
              baseID: "launched",
              passPercentage: 100,
              conditions: [{ type: "public" }],
            },
          ]
        : gate.rules;
    featureGates[gate.id] = {
      name: gate.id,
      type: "feature_gate",
      entity: "feature_gate",
      salt: `${gate.id}-salt`,
      enabled: gate.isEnabled,
      defaultValue: false,
      idType: gate.idType,
      isDeviceBased: false,
      version: gate.version,
      rules: rules.map((rule) => ({
        name: rule.name,
        id: rule.id,
        salt: rule.baseID,
        passPercentage: override ?? rule.passPercentage,
        conditions: rule.conditions.map((c) => (c.type === "public" ? "public" : "nobody")),
        returnValue: true,
        idType: gate.idType,
        isDeviceBased: false,
      })),
    };
  }
  return {
    feature_gates: featureGates,
    dynamic_configs: {},
    layer_configs: {},
    id_lists: {},
    condition_map: conditionMap,
    experiment_to_layer: {},
    has_updates: true,
    time: Date.now(),
  };
}

function condition(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    targetValue: null,
    operator: null,
    field: null,
    additionalValues: {},
    isDeviceBased: false,
    idType: "userID",
    ...fields,
  };
}
