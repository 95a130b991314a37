import type { ExperimentRecord } from "../src/domain/experiment.js";
import type { Decision } from "../src/domain/verdict-observation.js";
import type { CycleContext } from "./cycle-context.js";

/**
 * Makes a decision real. Ship: the gate to 100 % (or the experiment's treatment group launched).
 * Roll back or inconclusive: the gate to 0 % (or the experiment abandoned), so users are back
 * on control and the code stays dark behind its gate. Idempotent: it sets values, never adds.
 */
export async function applyDecision(
  ctx: CycleContext,
  experiment: ExperimentRecord,
  decision: Decision,
  reason: string,
): Promise<{ applied: string }> {
  const ship = experiment.item.ship;
  if (ship.kind === "experiment") {
    const treatment = ship.groups[ship.groups.length - 1]?.name ?? "treatment";
    if (decision === "ship") {
      await ctx.flags.ensureExperimentDecision(ship.experiment, { ship: treatment }, reason);
      return { applied: `experiment ${ship.experiment}: shipped group ${treatment}` };
    }
    await ctx.flags.ensureExperimentDecision(ship.experiment, { abandon: true }, reason);
    return { applied: `experiment ${ship.experiment}: abandoned, everyone on control` };
  }
  const percent = decision === "ship" ? 100 : 0;
  await ctx.flags.ensureGateSplit({ gate: ship.gate, percent });
  return { applied: `gate ${ship.gate} to ${percent} %` };
}
