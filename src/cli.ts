#!/usr/bin/env node
import { Command } from "commander";
import { readBacklogDir } from "./adapters/files/read-backlog-dir.js";
import { validateBacklog } from "./backlog/validate-backlog.js";
import { registerAnalyze } from "./cli/analyze-command.js";
import { registerBacklog } from "./cli/backlog-command.js";
import { registerDemo } from "./cli/demo-command.js";
import { registerDiagnose } from "./cli/diagnose-command.js";
import { registerDigest } from "./cli/digest-command.js";
import { registerKick } from "./cli/kick-command.js";
import { registerLeads } from "./cli/leads-command.js";
import { withLedger } from "./cli/open-ledger.js";
import { registerPqlReport } from "./cli/pql-report-command.js";
import { registerStatus } from "./cli/status-command.js";
import { registerValidate } from "./cli/validate-command.js";
import { registerVerdicts } from "./cli/verdicts-command.js";
import { registerWorker } from "./cli/worker-command.js";
import { eligibilityFromLedger } from "./runtime/eligibility.js";

const program = new Command("shiploop")
  .description(
    "Weekly-shipping experiment engine: score the backlog, ship the top change, measure, decide, learn.",
  )
  .showHelpAfterError()
  .exitOverride((error) => {
    // commander's own usage errors (unknown option, missing argument) are user errors.
    process.exit(error.exitCode === 0 ? 0 : 1);
  });

registerValidate(program);
registerWorker(program);
registerKick(program);
registerStatus(program);
registerVerdicts(program);
registerAnalyze(program);
registerDigest(program);
registerDemo(program);
registerLeads(program);
registerPqlReport(program);
registerDiagnose(program);
registerBacklog(program, {
  loadObservations: (config) => withLedger(config, ({ ledger }) => ledger.listObservations()),
  loadLiveState: (config) =>
    withLedger(config, async ({ ledger }) => {
      const { items } = validateBacklog(await readBacklogDir(config.backlogDir));
      return eligibilityFromLedger(ledger, items);
    }),
});

await program.parseAsync(process.argv);
