import type { Gate, GateRule } from "./console-schemas.js";

/** The name of the one rule shiploop owns on a gate. Rule ids change with the percentage; names do not. */
export const OWN_RULE_NAME = "shiploop split";

/** Fields the Console API fills in itself; they are not sent back in a full update. */
const READ_ONLY_GATE_FIELDS = [
  "id",
  "lastModifierID",
  "lastModifiedTime",
  "lastModifierName",
  "lastModifierEmail",
  "creatorID",
  "createdTime",
  "creatorName",
  "creatorEmail",
  "checksPerHour",
  "status",
  "type",
  "typeReason",
  "owner",
  "version",
  "reviewSettings",
] as const;

export function ownRule(gate: Gate): GateRule | undefined {
  return gate.rules.find((rule) => rule.name === OWN_RULE_NAME);
}

/** A new rule for everyone, passing `percent` of them. */
export function newOwnRule(percent: number): GateRule {
  return {
    name: OWN_RULE_NAME,
    passPercentage: percent,
    conditions: [{ type: "public" }],
    environments: null,
  };
}

/**
 * The whole gate as it should be written back with `POST /gates/{id}`: every rule shiploop
 * does not own exactly as read and in its place; shiploop's rule set to `percent` (appended
 * last when it does not exist yet, so it never shadows a rule somebody else wrote).
 */
export function gateWithSplit(gate: Gate, percent: number): Record<string, unknown> {
  const body: Record<string, unknown> = { ...gate };
  for (const field of READ_ONLY_GATE_FIELDS) delete body[field];
  const owned = ownRule(gate);
  body.rules = owned
    ? gate.rules.map((rule) => (rule === owned ? { ...rule, passPercentage: percent } : rule))
    : [...gate.rules, newOwnRule(percent)];
  return body;
}

/** The body of `POST /gates` for a gate that does not exist yet. */
export function newGate(name: string, percent: number): Record<string, unknown> {
  return {
    name,
    idType: "userID",
    isEnabled: true,
    description:
      'Created by shiploop for a measured rollout; shiploop owns the rule named "shiploop split".',
    rules: [newOwnRule(percent)],
  };
}
