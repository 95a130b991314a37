import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { diagnoseEventsFile } from "../adapters/files/read-events-file.js";
import type { Config } from "../config/config.js";
import type { DiagnoseSettings } from "../diagnose/diagnose-settings.js";
import { formatSnapshot } from "../diagnose/format-snapshot.js";
import { loadConfig } from "./load-config.js";
import { runAction } from "./run-action.js";

export interface DiagnoseDeps {
  /** Default: environment plus `shiploop.config.yaml`. */
  loadConfig?(): Config;
  /** The config's `diagnose:` section; default: `config.diagnose` when present, else the defaults. */
  diagnoseSettings?(config: Config): DiagnoseSettings;
  /** The events file used when none is configured; default: the bundled example. */
  exampleEventsFile?: string;
  stdout?(text: string): void;
  stderr?(text: string): void;
}

/** `shiploop diagnose [--events FILE] [--json]`: the five PLG metrics and the weakest stage. */
export function registerDiagnose(program: Command, deps: DiagnoseDeps = {}): void {
  program
    .command("diagnose")
    .description(
      "the five PLG funnel metrics per signup cohort, against benchmarks, and the weakest stage",
    )
    .option(
      "--events <file>",
      "NDJSON events file, .ndjson or .ndjson.gz (default: SHIPLOOP_EVENTS_FILE)",
    )
    .option("--json", "print the snapshot as JSON")
    .action(
      runAction(async (options: { events?: string; json?: boolean }) => {
        const out = deps.stdout ?? ((text: string) => process.stdout.write(text));
        const err = deps.stderr ?? ((text: string) => process.stderr.write(text));
        const config = (deps.loadConfig ?? loadConfig)();
        let file = options.events ?? config.eventsFile;
        if (!file) {
          file = deps.exampleEventsFile ?? bundledExampleEvents();
          err(
            `note: no events file configured (SHIPLOOP_EVENTS_FILE or eventsFile in shiploop.config.yaml); ` +
              `diagnosing the bundled example ${file}\n`,
          );
        }
        const settings = deps.diagnoseSettings?.(config) ?? diagnoseSettingsOf(config);
        const snapshot = await diagnoseEventsFile(file, settings, config.events);
        if (options.json) out(`${JSON.stringify({ eventsFile: file, ...snapshot }, null, 2)}\n`);
        else out(`Events: ${file}\n${formatSnapshot(snapshot)}`);
        return 0;
      }),
    );
}

/** The config file's `diagnose:` section (defaults when absent). */
export function diagnoseSettingsOf(config: Config): DiagnoseSettings {
  return config.diagnose;
}

/**
 * examples/events.ndjson.gz at the package root, found from this module both when run from
 * source (src/cli/) and when built (dist/src/cli/); relative to the working directory otherwise.
 */
export function bundledExampleEvents(): string {
  for (const up of ["../../", "../../../"]) {
    const path = fileURLToPath(new URL(`${up}examples/events.ndjson.gz`, import.meta.url));
    if (existsSync(path)) return path;
  }
  return "examples/events.ndjson.gz";
}
