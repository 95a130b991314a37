import type { Command } from "commander";
import { UserError } from "../domain/errors.js";
import { runAction } from "./run-action.js";

/**
 * A command of DESIGN.md's interface whose machinery has not landed yet: it has its help text
 * and says plainly what it needs instead of pretending to work.
 */
export function registerPending(
  program: Command,
  spec: { name: string; args?: string; description: string; needs: string; options?: string[] },
): void {
  const command = program.command(spec.args ? `${spec.name} ${spec.args}` : spec.name);
  command.description(spec.description);
  for (const flag of spec.options ?? []) command.option(flag);
  command.action(
    runAction(() => {
      throw new UserError(
        "not-available",
        `${spec.name} is not available in this build: it needs ${spec.needs}`,
      );
    }),
  );
}
