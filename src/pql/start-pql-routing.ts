import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { formatBacklogError } from "../backlog/backlog-error.js";
import type { Config } from "../config/config.js";
import { UserError } from "../domain/errors.js";
import { compileRules } from "./compile-rules.js";
import { CrmQueue, type CrmWorkerOptions, startCrmWorker } from "./crm/crm-queue.js";
import { hubspotCrm } from "./crm/hubspot-crm.js";
import type { PqlCrm } from "./crm/pql-crm.js";
import type { PushDeps } from "./crm/push-pending.js";
import { Evaluator } from "./evaluator.js";
import { pqlKeys } from "./pql-keys.js";
import { type PqlSettings, pqlSettingsOf } from "./pql-settings.js";
import { type RulesDir, readRulesDir, scanRulesDir } from "./read-rules-dir.js";
import type { PqlRule } from "./rule-schema.js";
import { validateRules } from "./validate-rules.js";

export interface PqlRoutingOptions {
  settings?: PqlSettings;
  /** Rules to use instead of reading `settings.pqlDir`. */
  rules?: PqlRule[];
  /** The CRM to use instead of the one the config selects (tests). */
  crm?: PqlCrm | null;
  crmWorker?: CrmWorkerOptions;
  /** How often pending qualifications are re-offered to the CRM queue (crash recovery). */
  sweepMs?: number;
  afterUpsert?: PushDeps["afterUpsert"];
  claimIdleMs?: number;
  /** True while Redis is unreachable (the worker's connector): keeps an outage to one log line. */
  isRedisDown?: () => boolean;
}

export interface PqlRouting {
  mode: "live" | "sandbox";
  rules: PqlRule[];
  close(): Promise<void>;
}

/**
 * Starts PQL routing in this process: the evaluator (the intake stream's consumer) and the CRM
 * push worker. Live when HUBSPOT_ACCESS_TOKEN is set, otherwise sandbox (leads go to the
 * ledger only). Invalid rule files are logged one line each and skipped; the others run.
 */
export async function startPqlRouting(
  config: Config,
  redis: Redis,
  logger: Logger,
  options: PqlRoutingOptions = {},
): Promise<PqlRouting> {
  const log = logger.child({ component: "pql" });
  const settings = options.settings ?? pqlSettingsOf(config);
  const rules = options.rules ?? (await loadRules(settings.pqlDir, log));
  const keys = pqlKeys(config.prefix);
  const crm =
    options.crm !== undefined
      ? (options.crm ?? undefined)
      : config.hubspotAccessToken
        ? hubspotCrm({ accessToken: config.hubspotAccessToken, basePath: config.hubspotBasePath })
        : undefined;
  const mode = crm ? "live" : "sandbox";
  log.info(
    { mode, rules: rules.map((r) => r.id) },
    `PQL routing: ${rules.length} rule(s), CRM ${mode === "live" ? "HubSpot" : "sandbox (leads stay in Redis)"}`,
  );

  const isRedisDown = options.isRedisDown ?? (() => false);
  const crmQueue = new CrmQueue(redis, config.prefix, (error) => {
    if (!isRedisDown()) log.error({ err: error }, "PQL CRM queue error");
  });
  const worker = startCrmWorker(
    redis,
    config.prefix,
    crmQueue,
    {
      redis,
      keys,
      crm,
      titles: new Map(rules.map((r) => [r.id, r.title])),
      logger: log,
      ...(options.afterUpsert ? { afterUpsert: options.afterUpsert } : {}),
    },
    log,
    { isRedisDown, lockMs: config.lockMs, ...options.crmWorker },
  );
  const evaluator = new Evaluator({
    redis,
    keys,
    rules: compileRules(rules),
    logger: log,
    conversionEvent: config.events.subscriptionStarted,
    onQualified: () => crmQueue.requestFlush(),
    ...(options.claimIdleMs ? { claimIdleMs: options.claimIdleMs } : {}),
  });
  await evaluator.start();

  const sweep = async () => {
    if ((await redis.zcard(keys.pending)) > 0) await crmQueue.requestFlush();
  };
  await sweep();
  const timer = setInterval(() => {
    sweep().catch((error) => log.warn({ err: error }, "PQL sweep failed"));
  }, options.sweepMs ?? 5_000);
  timer.unref();

  return {
    mode,
    rules,
    async close() {
      clearInterval(timer);
      await evaluator.close();
      await worker.close();
      await crmQueue.close();
    },
  };
}

/**
 * The valid rules of the rule directory, without a word about the bad ones: for readers beside
 * the routing (the kickoff's diagnosis), which already reported them at start.
 */
export async function readRules(dir: string): Promise<PqlRule[]> {
  return validateRules(await readRulesDir(dir)).rules;
}

/**
 * Reads and validates the rule files; bad files are reported and skipped. A missing default
 * directory is no rules (one info line); a directory the settings name that cannot be read is
 * one error line naming the setting, and routing runs with no rules rather than stopping the
 * worker, whose cycle does not depend on it.
 */
export async function loadRules(dir: string, logger: Logger): Promise<PqlRule[]> {
  let scan: RulesDir;
  try {
    scan = await scanRulesDir(dir);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    logger.error({ dir, code: error.code }, `PQL routing has no rules: ${error.message}`);
    return [];
  }
  if (scan.missing) {
    logger.info(
      { dir },
      `no PQL rules: ${dir} does not exist (add rule files there or set SHIPLOOP_PQL_DIR)`,
    );
    return [];
  }
  const set = validateRules(scan.files);
  for (const error of set.errors)
    logger.error({ file: error.file }, `PQL rule skipped: ${formatBacklogError(error)}`);
  return set.rules;
}
