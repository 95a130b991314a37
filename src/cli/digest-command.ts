import type { Command } from "commander";
import type { Config } from "../config/config.js";
import { UserError } from "../domain/errors.js";
import { isIsoWeek, isoWeekOf } from "../domain/iso-week.js";
import type { Ledger } from "../ledger/ledger.js";
import { renderDigest } from "../render/digest.js";
import { loadConfig } from "./load-config.js";
import { withLedger } from "./open-ledger.js";
import { runAction } from "./run-action.js";

/** What the digest reads from the ledger. */
export type DigestLedger = Pick<Ledger, "listExperiments" | "getWeek">;

export interface DigestDeps {
  loadConfig?(): Config;
  withLedger?<T>(config: Config, use: (ledger: DigestLedger) => Promise<T>): Promise<T>;
  now?(): Date;
  stdout?(text: string): void;
}

/** `shiploop digest [--week YYYY-Www]`: the week's summary in markdown, on stdout. */
export function registerDigest(program: Command, deps: DigestDeps = {}): void {
  program
    .command("digest")
    .description("a weekly summary of verdicts in markdown (default: this week)")
    .option("--week <YYYY-Www>", "the ISO week, e.g. 2026-W49")
    .action(
      runAction(async (options: { week?: string }) => {
        const config = (deps.loadConfig ?? loadConfig)();
        const week = options.week ?? isoWeekOf((deps.now ?? (() => new Date()))(), config.tz);
        if (!isIsoWeek(week)) {
          throw new UserError(
            "bad-week",
            `--week "${week}" is not an ISO week; expected YYYY-Www, e.g. 2026-W49`,
          );
        }
        const read = async (ledger: DigestLedger) => {
          const [experiments, weekRecord] = await Promise.all([
            ledger.listExperiments({ limit: 100_000 }),
            ledger.getWeek(week),
          ]);
          return { experiments, weekRecord };
        };
        const { experiments, weekRecord } = deps.withLedger
          ? await deps.withLedger(config, read)
          : await withLedger(config, ({ ledger }) => read(ledger));
        const text = renderDigest({
          week,
          tz: config.tz,
          experiments,
          ...(weekRecord ? { weekRecord } : {}),
        });
        (deps.stdout ?? ((t: string) => process.stdout.write(t)))(text);
        return 0;
      }),
    );
}
