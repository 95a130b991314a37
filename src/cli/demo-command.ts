import type { Command } from "commander";
import { readBacklogDir } from "../adapters/files/read-backlog-dir.js";
import { formatBacklogError } from "../backlog/backlog-error.js";
import { validateBacklog } from "../backlog/validate-backlog.js";
import { formatDemo } from "../demo/format-demo.js";
import {
  DEFAULT_DEMO_ITEMS,
  DEFAULT_DEMO_WEEKS,
  type DemoResult,
  runDemo,
} from "../demo/run-demo.js";
import { UserError } from "../domain/errors.js";
import { runAction } from "./run-action.js";

export interface DemoDeps {
  stdout?(text: string): void;
  stderr?(text: string): void;
}

interface DemoFlags {
  weeks: string;
  seed: string;
  items?: string;
  backlog?: string;
  json?: boolean;
}

/**
 * `shiploop demo [--weeks 52] [--seed S] [--items N] [--backlog DIR] [--json]`: the worker's
 * decision chain on a simulated product and a virtual clock, next to an oracle, ICE by hand
 * and random picks on the same world. No credentials, no Redis; the seed decides everything.
 */
export function registerDemo(program: Command, deps: DemoDeps = {}): void {
  program
    .command("demo")
    .description(
      "run many simulated weeks in seconds: shiploop's picks and verdicts against an oracle, ICE by hand and random",
    )
    .option("--weeks <n>", "weeks to simulate", String(DEFAULT_DEMO_WEEKS))
    .option("--seed <s>", "seed of the simulated world (same seed, same output)", "1")
    .option("--items <n>", `synthetic backlog size (default ${DEFAULT_DEMO_ITEMS})`)
    .option(
      "--backlog <dir>",
      "run on this backlog instead; each item's truth is its sandbox.trueRelativeLift (0 when absent)",
    )
    .option("--json", "print the weeks and the totals as JSON")
    .action(
      runAction(async (flags: DemoFlags) => {
        const out = deps.stdout ?? ((text: string) => process.stdout.write(text));
        const err = deps.stderr ?? ((text: string) => process.stderr.write(text));
        const weeks = wholeNumber("--weeks", flags.weeks, 1, 520);
        if (flags.backlog !== undefined && flags.items !== undefined) {
          throw new UserError("demo-flags", "--items and --backlog exclude each other: pick one");
        }
        let result: DemoResult;
        if (flags.backlog !== undefined) {
          const backlog = validateBacklog(await readBacklogDir(flags.backlog));
          for (const error of backlog.errors) err(`skipped: ${formatBacklogError(error)}\n`);
          if (backlog.items.length === 0) {
            throw new UserError("demo-backlog", `backlog ${flags.backlog} has no valid item`);
          }
          const untold = backlog.items.filter((i) => i.sandbox === undefined).length;
          if (untold > 0) {
            err(`note: ${untold} item(s) carry no sandbox.trueRelativeLift; their truth is 0\n`);
          }
          result = runDemo({ seed: flags.seed, weeks, items: backlog.items });
        } else {
          const itemCount =
            flags.items === undefined
              ? DEFAULT_DEMO_ITEMS
              : wholeNumber("--items", flags.items, 1, 10_000);
          result = runDemo({ seed: flags.seed, weeks, itemCount });
        }
        out(flags.json ? `${JSON.stringify(demoJson(result), null, 2)}\n` : formatDemo(result));
        return 0;
      }),
    );
}

/** `--json`: shiploop's weeks, every strategy's weeks and totals, and shiploop's oracle ratio. */
export function demoJson(result: DemoResult) {
  return {
    seed: result.seed,
    weeks: result.weeks,
    backlog: result.backlog,
    items: result.items,
    oracleRatio: result.totals.shiploop.oracleRatio,
    totals: result.totals,
    strategies: Object.fromEntries(
      Object.entries(result.runs).map(([name, run]) => [
        name,
        { weeks: run.weeks, stageMultipliers: run.stageMultipliers },
      ]),
    ),
  };
}

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UserError(
      "demo-flags",
      `${flag}: expected a whole number from ${min} to ${max}, got "${text}"`,
    );
  }
  return value;
}
